package dev.replica.experiments.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

/**
 * A character-level corpus: the text of a file (or a small built-in sample), its sorted character
 * vocabulary, and a 90/10 train/validation split by position. Batches are random windows drawn from a
 * counter-based stream.
 */
public final class CharCorpus {

    /** Built-in sample text (written for Replica), used when no file is given. */
    public static final String SAMPLE = """
            The workbench keeps every run it has ever started. A researcher writes a small file that says \
            what to train, which knobs to turn and how many seeds to try, and the workbench turns it into a \
            list of runs. Each run gets a recipe: the parameters, the seed, the code version and the machine. \
            When a curve looks strange a week later, the recipe says exactly what produced it, and the run \
            can be repeated step for step until the numbers agree bit for bit or the first difference shows.
            Optimizers are compared on toy problems first. A teacher network labels random inputs and a \
            student learns to copy it; the loss falls quickly at first and then slowly, and the interesting \
            part is how many steps each method needs to reach the same loss. Orthogonalized updates move \
            every direction of a weight matrix by a similar amount, and normalizing each row afterwards \
            evens out the neurons as well. Whether that helps on a small problem is a question for the \
            measurements, not for the slogans.
            Reinforcement learning with verifiable rewards needs only a checker: the sum of two numbers is \
            right or wrong, and the policy learns from groups of its own attempts, each judged against the \
            mean of its group. One example, repeated, can be enough to repair the format of the answers. \
            Entropy keeps the sampling varied; too much of it and the answers dissolve into noise.
            Sparse experts send each token to a few small networks, and inside each expert only the most \
            active neurons need to fire. Pruning the quiet half barely changes the loss; pruning almost all \
            of them does. The shape of that curve is the finding, and a small model on clothing pictures is \
            enough to see it.
            """;

    private final String text;
    private final char[] vocab;
    private final int[] ids;
    private final int trainEnd;

    private CharCorpus(String text) {
        if (text.length() < 16) {
            throw new DatasetException("corpus is too short: " + text.length() + " characters");
        }
        this.text = text;
        TreeSet<Character> set = new TreeSet<>();
        for (int i = 0; i < text.length(); i++) {
            set.add(text.charAt(i));
        }
        vocab = new char[set.size()];
        int k = 0;
        for (char c : set) {
            vocab[k++] = c;
        }
        ids = new int[text.length()];
        for (int i = 0; i < text.length(); i++) {
            ids[i] = java.util.Arrays.binarySearch(vocab, text.charAt(i));
        }
        trainEnd = (int) (ids.length * 0.9);
    }

    /** The built-in sample. */
    public static CharCorpus sample() {
        return new CharCorpus(SAMPLE);
    }

    /** The file's text (UTF-8), or the built-in sample when {@code file} is null or empty. */
    public static CharCorpus load(String file) {
        if (file == null || file.isBlank()) {
            return sample();
        }
        try {
            return new CharCorpus(Files.readString(Path.of(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DatasetException("cannot read text_file " + file + ": " + e.getMessage());
        }
    }

    public int vocabSize() {
        return vocab.length;
    }

    public int length() {
        return ids.length;
    }

    public String text() {
        return text;
    }

    /**
     * Fills {@code inputs (B,T)} and {@code targets (B,T)} (inputs shifted by one) with random windows
     * of the train ({@code validation == false}) or validation split.
     */
    public void batch(Rng rng, boolean validation, int[] inputs, int[] targets, int B, int T) {
        int lo = validation ? trainEnd : 0;
        int hi = validation ? ids.length : trainEnd;
        int span = hi - lo - T - 1;
        if (span <= 0) {
            throw new DatasetException(
                    "corpus split of " + (hi - lo) + " characters is shorter than context " + (T + 1));
        }
        for (int b = 0; b < B; b++) {
            int start = lo + rng.nextInt(span);
            for (int t = 0; t < T; t++) {
                inputs[b * T + t] = ids[start + t];
                targets[b * T + t] = ids[start + t + 1];
            }
        }
    }
}
