package dev.replica.experiments.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a run's columns straight from its file's buffers, using a {@link MetricFileIndex}: only the
 * projected columns are read, and a snapshot decoded earlier is extended with the batches appended
 * since instead of being decoded again.
 */
final class RunDataDecoder {
    private RunDataDecoder() {}

    /**
     * A snapshot with the columns of {@code base} and those {@code want} asks for, over every batch of
     * {@code index}.
     *
     * @param base an earlier snapshot of the first {@code baseBatches} batches of the same index, or null
     */
    static RunData decode(
            String runId,
            MetricFileIndex index,
            MetricFileScanner.Source source,
            Projection want,
            RunData base,
            int baseBatches)
            throws IOException {
        boolean baseTimes = base != null && base.hasTimes();
        if (base == null) {
            base = RunData.empty(runId);
            baseBatches = 0;
        }
        long total = index.rows();
        if (total > Integer.MAX_VALUE - 8) {
            throw new MetricStoreException("run " + runId + " has " + total + " rows, more than one read can hold");
        }
        int size = (int) total;
        int baseSize = base.size();

        long[] steps = Arrays.copyOf(base.stepsArray(), size);
        index.readLongs(source, 0, baseBatches, steps, baseSize);

        long[] times = null;
        if (baseTimes) {
            times = Arrays.copyOf(base.timesArray(), size);
            index.readLongs(source, 1, baseBatches, times, baseSize);
        } else if (want.times()) {
            times = new long[size];
            index.readLongs(source, 1, 0, times, 0);
        }

        List<String> names = new ArrayList<>(base.metrics());
        List<String> inFile = index.metrics();
        for (String m : want.allMetrics() ? inFile : want.metrics()) {
            if (!names.contains(m) && inFile.contains(m)) {
                names.add(m);
            }
        }
        Map<String, RunData.Column> columns = new LinkedHashMap<>();
        for (String name : names) {
            RunData.Column old = base.column(name);
            double[] values = old == null ? new double[size] : Arrays.copyOf(old.values, size);
            BitSet present = new BitSet(size);
            int from = 0;
            int at = 0;
            boolean dense = true;
            if (old != null) {
                if (old.present == null) {
                    present.set(0, baseSize);
                } else {
                    present.or(old.present);
                    dense = false;
                }
                from = baseBatches;
                at = baseSize;
            }
            dense &= index.readDoubles(source, name, from, values, present, at);
            columns.put(name, new RunData.Column(values, dense ? null : present));
        }
        return new RunData(runId, size, steps, times, columns);
    }
}
