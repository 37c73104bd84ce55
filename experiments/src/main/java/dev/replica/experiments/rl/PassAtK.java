package dev.replica.experiments.rl;

/**
 * The unbiased pass@k estimator (Chen et al. 2021; SEEDS.md §2): with n samples of which c are
 * correct, {@code pass@k = 1 − C(n−c, k)/C(n, k) = 1 − Π_{i=n−c+1..n} (1 − k/i)}, and 1 when n − c < k.
 */
public final class PassAtK {

    private PassAtK() {}

    public static double estimate(int n, int c, int k) {
        if (k < 1 || k > n || c < 0 || c > n) {
            throw new IllegalArgumentException("need 1 ≤ k ≤ n and 0 ≤ c ≤ n: n=" + n + " c=" + c + " k=" + k);
        }
        if (n - c < k) {
            return 1.0;
        }
        double prod = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            prod *= 1.0 - (double) k / i;
        }
        return 1.0 - prod;
    }

    /** Mean of {@link #estimate} over problems, {@code correct[p]} correct of {@code n} each. */
    public static double mean(int n, int[] correct, int k) {
        double s = 0;
        for (int c : correct) {
            s += estimate(n, c, k);
        }
        return correct.length == 0 ? 0 : s / correct.length;
    }
}
