package dev.replica.experiments.metrics.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replica.experiments.metrics.parquet.ParquetTableWriter.Column;
import dev.replica.experiments.metrics.parquet.ParquetTableWriter.Type;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by {@link ParquetTableWriter} read back by an independent reader: DuckDB. */
class ParquetTableWriterTest {
    private static List<List<Object>> query(String sql) throws java.sql.SQLException {
        return DuckDb.query(sql);
    }

    @TempDir
    Path dir;

    @Test
    void everyTypeRequiredAndOptionalReadsBackInManyRowGroups() throws Exception {
        Path file = dir.resolve("t.parquet");
        int n = 1000;
        // 20 columns: more than 14 exercises the long form of Thrift's list header
        List<Column> columns = new ArrayList<>(List.of(
                Column.required("id", Type.INT64),
                Column.optional("flag", Type.BOOLEAN),
                Column.optional("name", Type.UTF8),
                Column.required("x", Type.DOUBLE)));
        for (int i = 0; i < 16; i++) {
            columns.add(Column.optional("c" + i, Type.INT64));
        }
        try (OutputStream out = Files.newOutputStream(file);
                ParquetTableWriter w = new ParquetTableWriter(out, columns, Map.of("k", "v"), 4096)) {
            for (int r = 0; r < n; r++) {
                w.setLong(0, r == 0 ? Long.MIN_VALUE : r == 1 ? Long.MAX_VALUE : r);
                if (r % 3 == 0) {
                    w.setNull(1);
                } else {
                    w.setBoolean(1, r % 3 == 1);
                }
                // long runs of nulls and values: the definition levels' run lengths need multi-byte varints
                if (r < 300) {
                    w.setNull(2);
                } else {
                    w.setString(2, "né-" + r);
                }
                w.setDouble(3, r / 7.0);
                for (int i = 0; i < 16; i++) {
                    if ((r + i) % 5 == 0) {
                        w.setNull(4 + i);
                    } else {
                        w.setLong(4 + i, -r * (long) i);
                    }
                }
                w.endRow();
            }
        }
        String f = "read_parquet('" + file + "')";
        assertThat(query("SELECT count(*), count(flag), count(name), sum(CASE WHEN flag THEN 1 ELSE 0 END) FROM " + f))
                .containsExactly(List.of(1000L, 666L, 700L, java.math.BigInteger.valueOf(333)));
        assertThat(query("SELECT id, flag, name, x, c3 FROM " + f + " WHERE id IN (2, 300, 301) ORDER BY id"))
                .containsExactly(
                        java.util.Arrays.asList(2L, false, null, 2 / 7.0, null),
                        java.util.Arrays.asList(300L, null, "né-300", 300 / 7.0, -900L),
                        java.util.Arrays.asList(301L, true, "né-301", 301 / 7.0, -903L));
        assertThat(query("SELECT min(id), max(id) FROM " + f)).containsExactly(List.of(Long.MIN_VALUE, Long.MAX_VALUE));
        assertThat(query("SELECT count(DISTINCT row_group_id) > 1 FROM parquet_metadata('" + file + "')"))
                .containsExactly(List.of(true));
        assertThat(query("SELECT decode(value) FROM parquet_kv_metadata('" + file + "') WHERE decode(key) = 'k'"))
                .containsExactly(List.of("v"));
        assertThat(query("SELECT column_name, column_type FROM (DESCRIBE SELECT id, flag, name, x FROM " + f + ")"))
                .containsExactly(
                        List.of("id", "BIGINT"),
                        List.of("flag", "BOOLEAN"),
                        List.of("name", "VARCHAR"),
                        List.of("x", "DOUBLE"));
    }

    @Test
    void doublesReadBackBitForBitAndNanStaysApartFromNull() throws Exception {
        Path file = dir.resolve("d.parquet");
        SplittableRandom random = new SplittableRandom(17);
        double[] values = new double[2000];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble(random.nextLong()); // every exponent, subnormals included
            if (Double.isNaN(values[i])) {
                values[i] = random.nextDouble();
            }
        }
        values[0] = 1e23;
        values[1] = -0.0;
        values[2] = Double.MIN_VALUE;
        try (OutputStream out = Files.newOutputStream(file);
                ParquetTableWriter w = new ParquetTableWriter(
                        out, List.of(Column.required("i", Type.INT64), Column.optional("v", Type.DOUBLE)), Map.of())) {
            for (int i = 0; i < values.length; i++) {
                w.setLong(0, i);
                w.setDouble(1, values[i]);
                w.endRow();
            }
            w.setLong(0, -1);
            w.setDouble(1, Double.NaN);
            w.endRow();
            w.setLong(0, -2);
            w.setNull(1);
            w.endRow();
        }
        List<List<Object>> rows = query("SELECT i, v FROM read_parquet('" + file + "') WHERE i >= 0 ORDER BY i");
        assertThat(rows).hasSize(values.length);
        for (int i = 0; i < values.length; i++) {
            assertThat(Double.doubleToRawLongBits((Double) rows.get(i).get(1)))
                    .as("row %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(values[i]));
        }
        assertThat(query("SELECT i, v IS NULL, isnan(v) FROM read_parquet('" + file + "') WHERE i < 0 ORDER BY i"))
                .containsExactly(java.util.Arrays.asList(-2L, true, null), List.of(-1L, false, true));
    }

    @Test
    void emptyTableIsAValidFile() throws Exception {
        Path file = dir.resolve("e.parquet");
        try (OutputStream out = Files.newOutputStream(file);
                ParquetTableWriter w =
                        new ParquetTableWriter(out, List.of(Column.required("a", Type.UTF8)), Map.of())) {
            // no rows
        }
        assertThat(query("SELECT count(*) FROM read_parquet('" + file + "')")).containsExactly(List.of(0L));
    }

    @Test
    void rejectsRowsThatMissOrRepeatAColumnAndNullsInRequiredColumns() throws Exception {
        try (ParquetTableWriter w = new ParquetTableWriter(
                OutputStream.nullOutputStream(),
                List.of(Column.required("a", Type.INT64), Column.required("b", Type.DOUBLE)),
                Map.of())) {
            w.setLong(0, 1);
            assertThatThrownBy(() -> w.setLong(0, 2)).hasMessage("column a set twice in one row");
            assertThatThrownBy(w::endRow).hasMessage("column b not set in row 0");
            assertThatThrownBy(() -> w.setNull(1)).hasMessage("column b is required");
            assertThatThrownBy(() -> w.setString(1, "x")).hasMessage("column b is DOUBLE, not UTF8");
        }
        assertThatThrownBy(() -> new ParquetTableWriter(
                        OutputStream.nullOutputStream(),
                        List.of(Column.required("a", Type.INT64), Column.required("a", Type.DOUBLE)),
                        Map.of()))
                .hasMessage("duplicate column name a");
    }
}
