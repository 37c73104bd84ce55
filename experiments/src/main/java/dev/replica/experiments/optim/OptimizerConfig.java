package dev.replica.experiments.optim;

import dev.replica.kernels.MuonScale;
import java.util.Locale;

/**
 * Hyper-parameters of a {@link ParamGroupOptimizer}.
 *
 * @param kind        optimizer of the hidden 2-D weights
 * @param lr          learning rate of the hidden group
 * @param restLr      AdamW learning rate of everything else (embeddings, heads, biases, gains)
 * @param momentum    Muon/NorMuon/SGD momentum β (AdamW β1 is 0.9)
 * @param beta2       AdamW β2 and NorMuon β2
 * @param eps         AdamW and NorMuon ε
 * @param weightDecay decoupled weight decay of 2-D weights (vectors never decay)
 * @param scale       Muon/NorMuon update scale
 * @param nesterov    Nesterov momentum for Muon/NorMuon
 */
public record OptimizerConfig(
        Kind kind,
        double lr,
        double restLr,
        double momentum,
        double beta2,
        double eps,
        double weightDecay,
        MuonScale scale,
        boolean nesterov) {

    public enum Kind {
        SGD,
        ADAMW,
        MUON,
        NORMUON;

        public static Kind of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }

        /** SEEDS.md defaults: AdamW 3e-4, Muon/NorMuon 0.02, SGD 0.05. */
        public double defaultLr() {
            return switch (this) {
                case ADAMW -> 3e-4;
                case MUON, NORMUON -> 0.02;
                case SGD -> 0.05;
            };
        }
    }

    /** AdamW's β1 in every group. */
    public static final double ADAM_BETA1 = 0.9;
    /** AdamW's learning rate for the non-hidden group in the reference setup. */
    public static final double REFERENCE_ADAM_LR = 3e-4;

    /**
     * The configuration of a sweep point: {@code lr} (NaN: the optimizer's default) times {@code lrScale}
     * for the hidden group. The rest group shares that lr when the hidden optimizer is AdamW or Muon's
     * scale is {@code rms} (which matches AdamW's update RMS); otherwise it uses AdamW's reference 3e-4
     * times {@code lrScale}.
     */
    public static OptimizerConfig of(
            String optimizer,
            double lr,
            double lrScale,
            double momentum,
            double beta2,
            double weightDecay,
            String muonScale) {
        Kind kind = Kind.of(optimizer);
        MuonScale scale = MuonScale.valueOf(muonScale.toUpperCase(Locale.ROOT));
        double base = (Double.isNaN(lr) ? kind.defaultLr() : lr) * lrScale;
        boolean shared = kind == Kind.ADAMW || scale == MuonScale.RMS;
        double rest = shared ? base : REFERENCE_ADAM_LR * lrScale;
        return new OptimizerConfig(kind, base, rest, momentum, beta2, 1e-10, weightDecay, scale, true);
    }
}
