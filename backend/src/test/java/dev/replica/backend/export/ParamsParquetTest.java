package dev.replica.backend.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.metrics.parquet.ParquetTableWriter.Type;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParamsParquetTest {

    @Test
    void typesAParameterColumnByTheNarrowestTypeThatHoldsEveryValue() {
        assertThat(ParamsParquet.typeOf(List.of(true, false))).isEqualTo(Type.BOOLEAN);
        assertThat(ParamsParquet.typeOf(List.of(1, -3L, BigInteger.TEN))).isEqualTo(Type.INT64);
        assertThat(ParamsParquet.typeOf(List.of(1, 0.5))).isEqualTo(Type.DOUBLE);
        // too large for int64: float64 rather than a wrapped value
        assertThat(ParamsParquet.typeOf(List.of(BigInteger.TWO.pow(64)))).isEqualTo(Type.DOUBLE);
        assertThat(ParamsParquet.typeOf(List.of(1, "x"))).isEqualTo(Type.UTF8);
        assertThat(ParamsParquet.typeOf(List.of(true, 1))).isEqualTo(Type.UTF8);
        assertThat(ParamsParquet.typeOf(List.of())).isEqualTo(Type.UTF8);
    }
}
