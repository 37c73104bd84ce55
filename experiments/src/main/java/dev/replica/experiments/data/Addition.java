package dev.replica.experiments.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Multi-digit addition as token sequences, with an exact verifier (SEEDS.md §2).
 *
 * <p>A sequence is {@code a + b =} (operands zero-padded to {@code digits}, most significant digit
 * first), then the answer's {@code digits + 1} digits least significant first, then {@link #END}, then
 * {@link #PAD} to the fixed length {@link #length()}. A response is correct exactly when it is the
 * answer digits followed by {@code END}.
 */
public final class Addition {

    public static final int PLUS = 10;
    public static final int EQUALS = 11;
    public static final int END = 12;
    public static final int PAD = 13;
    public static final int VOCAB = 14;

    /** One problem. */
    public record Problem(long a, long b) {
        public long sum() {
            return a + b;
        }
    }

    /** Kinds of flaw in the supervised "base model" data. */
    public enum Flaw {
        NONE,
        DROP_CARRY,
        NO_END
    }

    private final int digits;

    public Addition(int digits) {
        if (digits < 1 || digits > 12) {
            throw new IllegalArgumentException("digits must be in [1, 12]: " + digits);
        }
        this.digits = digits;
    }

    public int digits() {
        return digits;
    }

    /** Prompt tokens: {@code 2·digits + 2}. */
    public int promptLength() {
        return 2 * digits + 2;
    }

    /** Response tokens: {@code digits + 1} answer digits and the end token. */
    public int responseLength() {
        return digits + 2;
    }

    /** Whole sequence. */
    public int length() {
        return promptLength() + responseLength();
    }

    private long limit() {
        long l = 1;
        for (int i = 0; i < digits; i++) {
            l *= 10;
        }
        return l;
    }

    /** A uniformly random problem. */
    public Problem random(Rng rng) {
        long lim = limit();
        return new Problem(Long.remainderUnsigned(rng.nextLong(), lim), Long.remainderUnsigned(rng.nextLong(), lim));
    }

    /** {@code count} distinct problems none of which is in {@code exclude}. */
    public List<Problem> distinct(Rng rng, int count, Set<Problem> exclude) {
        Set<Problem> seen = new HashSet<>(exclude);
        List<Problem> out = new ArrayList<>(count);
        long space = limit() * limit();
        if (count + exclude.size() > space) {
            throw new IllegalArgumentException("only " + space + " distinct " + digits + "-digit problems exist");
        }
        while (out.size() < count) {
            Problem p = random(rng);
            if (seen.add(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Carries in the column addition of {@code p} (0 … digits): SwS's problem category. */
    public int carries(Problem p) {
        long a = p.a();
        long b = p.b();
        int carry = 0;
        int count = 0;
        for (int i = 0; i < digits; i++) {
            carry = (int) ((a % 10 + b % 10 + carry) / 10);
            count += carry;
            a /= 10;
            b /= 10;
        }
        return count;
    }

    /** Writes the prompt into {@code seq[off..off+promptLength())}. */
    public void writePrompt(Problem p, int[] seq, int off) {
        writeNumberMsbFirst(p.a(), seq, off);
        seq[off + digits] = PLUS;
        writeNumberMsbFirst(p.b(), seq, off + digits + 1);
        seq[off + 2 * digits + 1] = EQUALS;
    }

    private void writeNumberMsbFirst(long v, int[] seq, int off) {
        for (int i = digits - 1; i >= 0; i--) {
            seq[off + i] = (int) (v % 10);
            v /= 10;
        }
    }

    /** The correct response: answer digits least significant first, then {@link #END}. */
    public int[] answer(Problem p) {
        int[] r = new int[responseLength()];
        long s = p.sum();
        for (int i = 0; i <= digits; i++) {
            r[i] = (int) (s % 10);
            s /= 10;
        }
        r[digits + 1] = END;
        return r;
    }

    /** A full training sequence with the given flaw in its target. */
    public int[] sequence(Problem p, Flaw flaw) {
        int[] seq = new int[length()];
        writePrompt(p, seq, 0);
        int[] resp;
        switch (flaw) {
            case NONE -> resp = answer(p);
            case DROP_CARRY -> {
                resp = new int[responseLength()];
                long a = p.a();
                long b = p.b();
                for (int i = 0; i < digits; i++) {
                    resp[i] = (int) ((a % 10 + b % 10) % 10);
                    a /= 10;
                    b /= 10;
                }
                resp[digits] = 0;
                resp[digits + 1] = END;
            }
            case NO_END -> {
                resp = answer(p);
                resp[digits + 1] = resp[digits]; // repeats the last digit instead of stopping
            }
            default -> throw new IllegalStateException();
        }
        System.arraycopy(resp, 0, seq, promptLength(), resp.length);
        return seq;
    }

    /**
     * Exact-match verifier: {@code response[off..off+responseLength())} must equal the answer digits and
     * {@link #END} (tokens after END are not looked at).
     */
    public boolean verify(Problem p, int[] response, int off) {
        return verifySum(p.sum(), response, off);
    }

    /** As {@link #verify}, against a reference answer given directly (a synthesized problem's). */
    public boolean verifySum(long sum, int[] response, int off) {
        int[] want = answer(new Problem(sum, 0));
        for (int i = 0; i < want.length; i++) {
            if (response[off + i] != want[i]) {
                return false;
            }
        }
        return true;
    }

    /** Human-readable sequence, for logs: digits, '+', '=', '$' for END, '_' for PAD. */
    public static String render(int[] seq, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            int t = seq[i];
            sb.append(t < 10 ? (char) ('0' + t) : t == PLUS ? '+' : t == EQUALS ? '=' : t == END ? '$' : '_');
        }
        return sb.toString();
    }
}
