package dev.replica.experiments.data;

import java.util.Optional;

/**
 * The problem-synthesis format of SvS on {@link Addition} (issue #18 item 1): given a correct solution, the
 * policy writes a new problem with the same reference answer. In the same sequence length L as a solve
 * sequence:
 *
 * <pre>
 * prompt   = '=' s_0 … s_d '+'          the solution's answer digits, least significant first   (d + 3)
 * response = a_{d−1} … a_0 b_{d−1} … b_0 END   a new problem a+b, operands most significant first  (2d + 1)
 * </pre>
 * A synthesized problem is <em>well-formed</em> when the response is 2d digits then END, and
 * <em>valid</em> when, in addition, a + b equals the reference answer.
 */
public final class ProblemSynthesis {

    private final Addition task;

    public ProblemSynthesis(Addition task) {
        this.task = task;
    }

    /** Prompt tokens: {@code digits + 3}. */
    public int promptLength() {
        return task.digits() + 3;
    }

    /** Writes the synthesis prompt for a solution whose answer is {@code sum}. */
    public void writePrompt(long sum, int[] seq, int off) {
        int d = task.digits();
        seq[off] = Addition.EQUALS;
        long s = sum;
        for (int i = 0; i <= d; i++) {
            seq[off + 1 + i] = (int) (s % 10);
            s /= 10;
        }
        seq[off + d + 2] = Addition.PLUS;
    }

    /** The reference answer a synthesis prompt carries. */
    public long promptAnswer(int[] seq, int off) {
        long v = 0;
        for (int i = task.digits(); i >= 0; i--) {
            v = v * 10 + seq[off + 1 + i];
        }
        return v;
    }

    /** The problem a response at {@code seq[off..]} writes, if it is well-formed. */
    public Optional<Addition.Problem> parse(int[] seq, int off) {
        int d = task.digits();
        long a = 0;
        long b = 0;
        for (int i = 0; i < 2 * d; i++) {
            int t = seq[off + i];
            if (t > 9) {
                return Optional.empty();
            }
            if (i < d) {
                a = a * 10 + t;
            } else {
                b = b * 10 + t;
            }
        }
        return seq[off + 2 * d] == Addition.END ? Optional.of(new Addition.Problem(a, b)) : Optional.empty();
    }

    /**
     * A supervised synthesis sequence (length L): the prompt of {@code p}'s answer and, as the target, a
     * uniformly random split of that answer into two operands of at most {@code digits} digits.
     */
    public int[] sequence(Addition.Problem p, Rng rng) {
        int d = task.digits();
        long lim = 1;
        for (int i = 0; i < d; i++) {
            lim *= 10;
        }
        long sum = p.sum();
        // a ranges over [max(0, sum − (lim − 1)), min(sum, lim − 1)]
        long lo = Math.max(0, sum - (lim - 1));
        long hi = Math.min(sum, lim - 1);
        long a = lo + Long.remainderUnsigned(rng.nextLong(), hi - lo + 1);
        long b = sum - a;
        int[] seq = new int[task.length()];
        writePrompt(sum, seq, 0);
        int off = promptLength();
        for (int i = d - 1; i >= 0; i--) {
            seq[off + i] = (int) (a % 10);
            a /= 10;
            seq[off + d + i] = (int) (b % 10);
            b /= 10;
        }
        seq[off + 2 * d] = Addition.END;
        return seq;
    }
}
