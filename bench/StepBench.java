import dev.replica.experiments.data.Rng;
import dev.replica.experiments.optim.OptimizerConfig;
import dev.replica.experiments.optim.ParamGroupOptimizer;
import dev.replica.experiments.train.Loss;
import dev.replica.experiments.train.DeviceParams;
import dev.replica.experiments.train.Transformer;
import dev.replica.kernels.HostTensorKernels;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackends;
import dev.replica.kernels.Tensor;
import dev.replica.kernels.TensorKernels;
import java.util.Arrays;

/**
 * Training-step time of the tiny GPT (Replica's char-transformer): forward + cross-entropy + backward + AdamW,
 * ms per step on one kernel backend, median over timed steps after warm-up steps. A single-file program run by
 * bench/step.sh (java StepBench.java), which runs it once per backend and prints the ratios.
 *
 * <p>Arguments: --backend jvm|opencl|tornadovm|reference (default jvm), --path tensors|arrays (default tensors:
 * device-resident tensors; arrays: the array contract, every op copying its operands, for comparison), --layers 4 --heads 4 --width 128
 * --ctx 64 --batch 4 --vocab 65 --warmup 5 --steps 10. Prints {@code step BACKEND ms-per-step MEDIAN [min max]
 * device=...} and the loss of the last step (backends must agree on it within the ops' tolerances), and the
 * bytes that crossed between host and device per timed step (0 on the JVM backend).
 */
public final class StepBench {

    public static void main(String[] args) {
        String backendName = "jvm";
        boolean arrays = false;
        int layers = 4, heads = 4, width = 128, ctx = 64, batch = 4, vocab = 65, warmup = 5, steps = 10;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--backend" -> backendName = v;
                case "--layers" -> layers = Integer.parseInt(v);
                case "--heads" -> heads = Integer.parseInt(v);
                case "--width" -> width = Integer.parseInt(v);
                case "--ctx" -> ctx = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--vocab" -> vocab = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--path" -> arrays = switch (v) {
                    case "tensors" -> false;
                    case "arrays" -> true;
                    default -> throw new IllegalArgumentException("--path tensors|arrays, got " + v);
                };
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        KernelBackends.Selection sel = KernelBackends.select(backendName);
        if (sel.fellBack()) {
            System.out.println("# " + backendName + ": unavailable here (" + sel.summary() + ")");
            return;
        }
        KernelBackend k = sel.backend();
        Rng rng = new Rng(1234, 0);
        Transformer model = new Transformer(vocab, ctx, width, layers, heads, rng);
        ParamGroupOptimizer opt =
                new ParamGroupOptimizer(model.params(), OptimizerConfig.of("adamw", 3e-4, 1.0, 0.95, 0.95, 0.0, "spectral"));
        Loss loss = new Loss();
        // Weights, gradients, activations and AdamW state live on the backend's tensors (device memory on
        // OpenCL) for the whole run; a step copies only its tokens/targets in and the loss values out.
        TensorKernels d = arrays ? new HostTensorKernels(k) : k.tensors();
        DeviceParams dp = arrays ? null : model.bind(d);
        // A fixed token stream (a deterministic character sequence), the same on every backend.
        int[] tokens = new int[batch * ctx], targets = new int[batch * ctx];
        Rng data = new Rng(99, 1);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = data.nextInt(vocab);
        }
        for (int i = 0; i < tokens.length; i++) {
            targets[i] = (i + 1) % ctx == 0 ? tokens[i] : tokens[i + 1];
        }
        double[] ms = new double[steps];
        TensorKernels.Transfers before = null;
        double last = Double.NaN;
        for (int s = 0; s < warmup + steps; s++) {
            long t0 = System.nanoTime();
            model.zeroGrad();
            Loss.Value v;
            if (arrays) { // the array contract: every op copies its operands to the device and back
                v = loss.compute(k, model.forward(k, tokens, batch, ctx), targets, batch * ctx, vocab, true);
                model.backward(k, loss.dlogits());
                opt.step(k, 1.0, false);
            } else {
                Tensor logits = model.forward(d, tokens, batch, ctx);
                v = loss.compute(d, logits, targets, batch * ctx, vocab, true);
                model.backward(d, loss.dlogitsTensor());
                opt.step(dp, 1.0, false);
            }
            long t1 = System.nanoTime();
            last = v.loss();
            if (s >= warmup) {
                ms[s - warmup] = (t1 - t0) / 1e6;
            }
            if (s == warmup - 1) {
                before = d.transfers();
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        System.out.printf(
                "step %s %.2f ms/step [min %.2f max %.2f] loss=%.6f L=%d NH=%d C=%d T=%d B=%d V=%d"
                        + " transfers/step=%d B in, %d B out device=%s%n",
                backendName + (arrays ? "-arrays" : ""),
                median,
                sorted[0],
                sorted[sorted.length - 1],
                last,
                layers,
                heads,
                width,
                ctx,
                batch,
                vocab,
                before == null ? 0 : (d.transfers().toDevice() - before.toDevice()) / steps,
                before == null ? 0 : (d.transfers().toHost() - before.toHost()) / steps,
                k.deviceDescription());
        k.close();
    }
}
