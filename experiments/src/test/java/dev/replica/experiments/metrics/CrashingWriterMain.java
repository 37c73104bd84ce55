package dev.replica.experiments.metrics;

import java.nio.file.Path;
import org.apache.arrow.memory.RootAllocator;

/**
 * Child process of {@link CrashSafetyTest}: appends batches to one run forever, printing the index of
 * each batch after its append (and fsync) returned, until it is killed.
 */
public final class CrashingWriterMain {
    static final int ROWS_PER_BATCH = 200;

    private CrashingWriterMain() {}

    /** A deterministic value with arbitrary bits (NaN payloads and infinities included). */
    static double valueAt(long step) {
        long z = step + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return Double.longBitsToDouble(z ^ (z >>> 31));
    }

    static MetricBatch batch(int index) {
        return batch(index, ROWS_PER_BATCH);
    }

    static MetricBatch batch(int index, int rows) {
        MetricBatch.Builder b = MetricBatch.builder();
        for (int r = 0; r < rows; r++) {
            long step = (long) index * rows + r;
            b.row(step, step * 7).set("loss", valueAt(step));
            if (index >= 5) {
                b.set("late/metric", -valueAt(step)); // a new segment mid-run
            }
        }
        return b.build();
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        RootAllocator allocator = new RootAllocator();
        MetricStore store = new MetricStore(dir, allocator);
        for (int i = 0; ; i++) {
            store.append("victim", batch(i));
            System.out.println(i);
            System.out.flush();
        }
    }
}
