package dev.replica.kernels;

/** How Muon and NorMuon scale the orthogonalized update O of an m×n weight (SEEDS.md §1). */
public enum MuonScale {
    /** {@code O·√max(1, m/n)}: the reference Muon implementation. */
    SPECTRAL,
    /** {@code O·0.2·√max(m, n)}: matches AdamW's update RMS so both optimizers can share one learning rate. */
    RMS;

    /** The factor this scale multiplies NS5's output by for an m×n weight. */
    public float factor(int m, int n) {
        return switch (this) {
            case SPECTRAL -> (float) Math.sqrt(Math.max(1.0, (double) m / n));
            case RMS -> (float) (0.2 * Math.sqrt(Math.max(m, n)));
        };
    }
}
