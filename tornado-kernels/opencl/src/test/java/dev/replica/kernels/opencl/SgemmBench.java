package dev.replica.kernels.opencl;

import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackends;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * SGEMM throughput of a kernel backend, for {@code bench/sgemm.sh}. Prints one line per size in
 * the format of the kernels module's {@code KernelBench}: {@code sgemm BACKEND n GFLOP/s-value GFLOP/s},
 * each the median of several timed repetitions after warm-up. Lines starting with '#' are comments.
 *
 * <p>Usage: {@code SgemmBench [--backend jvm|opencl|opencl-device] [--sizes 256,512] [--reps 5]}.
 * {@code opencl} times {@link KernelBackend#gemm} with its host-device copies; {@code opencl-device}
 * times the SGEMM kernel on device-resident operands only. Other backends go through
 * {@link KernelBackends#select(String)}.
 */
public final class SgemmBench {
    private SgemmBench() {}

    public static void main(String[] args) {
        String backendName = "opencl";
        int[] sizes = {256, 512, 1024, 2048};
        int reps = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--backend" -> backendName = args[++i];
                case "--sizes" ->
                    sizes = Arrays.stream(args[++i].split(","))
                            .mapToInt(Integer::parseInt)
                            .toArray();
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                default ->
                    throw new IllegalArgumentException(
                            "unknown argument " + args[i] + " (expected --backend NAME, --sizes N,N, --reps N)");
            }
        }
        if (backendName.equals("opencl-device")) {
            OpenClProbe.Result probe = OpenClProbe.probe();
            if (!probe.available()) {
                System.out.println("# " + probe.summary());
                return;
            }
            OpenClBackend cl = new OpenClBackend();
            cl.warmUp();
            System.out.println("# " + cl.deviceDescription());
            for (int n : sizes) {
                int r = n >= 2048 ? Math.max(3, reps / 2) : reps;
                double[] timing = cl.timeDeviceSgemm(n, 2, r);
                double s = timing[0];
                double cpu = timing[1];
                double wall = timing[2];
                print("opencl-device", n, gflops(n, s));
                printCpuNormalized("opencl-device", n, r, cpu, wall);
            }
            return;
        }
        KernelBackends.Selection sel = KernelBackends.select(backendName);
        try (KernelBackend backend = sel.backend()) {
            System.out.println("# " + sel.summary());
            if (!backend.name().equals(backendName)) {
                System.out.println("# " + backendName + " unavailable; not measured");
                return;
            }
            if (backend instanceof OpenClBackend cl) {
                cl.warmUp();
            }
            for (int n : sizes) {
                int r = n >= 2048 ? Math.max(3, reps / 2) : reps;
                print(backend.name(), n, gflops(n, medianSeconds(backend, n, r)));
            }
        }
    }

    /**
     * On a shared machine the wall-clock figure depends on the neighbours; flops per CPU-second of
     * this process (all its threads) depends on them much less. Process CPU time ticks in 10 ms
     * steps, so runs shorter than 0.2 CPU-seconds are not reported.
     */
    private static void printCpuNormalized(String backend, int n, int reps, double cpu, double wall) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (cpu < 0.2) {
            System.out.println("# " + backend + " " + n + ": timed runs too short for a CPU-time figure");
            return;
        }
        System.out.println(String.format(
                Locale.ROOT,
                "# %s %d: %.1f GFLOP per CPU-second, %.0f%% of %d cores busy" + " for this process",
                backend,
                n,
                2.0 * n * n * n * reps / cpu / 1e9,
                100 * cpu / wall / cores,
                cores));
    }

    private static long cpuNanos() {
        return OpenClBackend.cpuNanos();
    }

    private static double gflops(int n, double seconds) {
        return 2.0 * n * n * n / seconds / 1e9;
    }

    private static void print(String backend, int n, double gflops) {
        System.out.println(String.format(Locale.ROOT, "sgemm %s %d %.2f GFLOP/s", backend, n, gflops));
    }

    /** Median of {@code reps} timed calls after 2 s (at least 2 calls) of warm-up. */
    private static double medianSeconds(KernelBackend backend, int n, int reps) {
        Random rnd = new Random(n);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        float[] c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
            b[i] = (float) rnd.nextGaussian();
        }
        long until = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < 2 || System.nanoTime() < until; i++) {
            backend.gemm(c, a, b, n, n, n, false, false, 1f, 0f);
        }
        double[] t = new double[reps];
        long cpu0 = cpuNanos();
        long wall0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            backend.gemm(c, a, b, n, n, n, false, false, 1f, 0f);
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        double cpu = (cpuNanos() - cpu0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        printCpuNormalized(backend.name(), n, reps, cpu, wall);
        Arrays.sort(t);
        return t[reps / 2];
    }
}
