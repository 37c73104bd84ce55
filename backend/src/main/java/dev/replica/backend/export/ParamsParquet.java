package dev.replica.backend.export;

import dev.replica.backend.run.RunView;
import dev.replica.experiments.metrics.MetricExport;
import dev.replica.experiments.metrics.parquet.ParquetTableWriter;
import dev.replica.experiments.metrics.parquet.ParquetTableWriter.Column;
import dev.replica.experiments.metrics.parquet.ParquetTableWriter.Type;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The parameters table as Parquet: {@code run} (text, as in the metric exports, so the two join on it),
 * {@code experiment}, {@code seed} (int64), {@code state}, then one column per parameter typed from its
 * values: boolean when every value is a boolean, int64 when every value is an integer, float64 when
 * every value is a number, text otherwise. A run without the parameter has a null.
 */
final class ParamsParquet {
    private ParamsParquet() {}

    static void write(List<RunView> selection, OutputStream out) throws IOException {
        List<String> names = new ArrayList<>(new TreeSet<>(
                selection.stream().flatMap(r -> r.params().keySet().stream()).toList()));
        List<Column> columns = new ArrayList<>(List.of(
                Column.required("run", Type.UTF8),
                Column.required("experiment", Type.UTF8),
                Column.required("seed", Type.INT64),
                Column.required("state", Type.UTF8)));
        List<Type> types = new ArrayList<>();
        for (String n : names) {
            Type t = typeOf(selection.stream()
                    .map(r -> r.params().get(n))
                    .filter(Objects::nonNull)
                    .toList());
            types.add(t);
            columns.add(Column.optional(n, t));
        }
        try (ParquetTableWriter w = new ParquetTableWriter(out, columns, Map.of("replica.format", "params/1"))) {
            for (RunView r : selection) {
                w.setString(0, Long.toString(r.id()));
                w.setString(1, r.experimentName());
                w.setLong(2, r.seed());
                w.setString(3, r.state());
                for (int i = 0; i < names.size(); i++) {
                    Object v = r.params().get(names.get(i));
                    int c = 4 + i;
                    if (v == null) {
                        w.setNull(c);
                        continue;
                    }
                    switch (types.get(i)) {
                        case BOOLEAN -> w.setBoolean(c, (Boolean) v);
                        case INT64 -> w.setLong(c, ((Number) v).longValue());
                        case DOUBLE -> w.setDouble(c, ((Number) v).doubleValue());
                        case UTF8 -> w.setString(c, v instanceof Double d ? MetricExport.formatValue(d) : v.toString());
                    }
                }
                w.endRow();
            }
        }
    }

    /** The narrowest type that holds every value of a column. */
    static Type typeOf(List<Object> values) {
        if (!values.isEmpty() && values.stream().allMatch(v -> v instanceof Boolean)) {
            return Type.BOOLEAN;
        }
        if (!values.isEmpty() && values.stream().allMatch(ParamsParquet::isLong)) {
            return Type.INT64;
        }
        if (!values.isEmpty() && values.stream().allMatch(v -> v instanceof Number)) {
            return Type.DOUBLE;
        }
        return Type.UTF8;
    }

    private static boolean isLong(Object v) {
        return v instanceof Long
                || v instanceof Integer
                || v instanceof Short
                || v instanceof Byte
                || (v instanceof BigInteger b && b.bitLength() < 64);
    }
}
