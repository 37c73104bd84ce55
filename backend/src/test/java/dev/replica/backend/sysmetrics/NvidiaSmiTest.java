package dev.replica.backend.sysmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NvidiaSmiTest {

    @Test
    void parsesOneReadingPerGpuLineAndLeavesUnsupportedValuesEmpty() {
        // as printed by nvidia-smi --query-gpu=index,utilization.gpu,memory.used --format=csv,noheader,nounits
        String out = "0, 37, 1024\n1, [N/A], 20480\r\nNo devices were found\n";

        List<NvidiaSmi.Reading> readings = NvidiaSmi.parse(out);

        assertThat(readings).hasSize(2);
        assertThat(readings.get(0).index()).isZero();
        assertThat(readings.get(0).utilPercent()).hasValue(37.0);
        assertThat(readings.get(0).memoryMb()).hasValue(1024.0);
        assertThat(readings.get(1).index()).isEqualTo(1);
        assertThat(readings.get(1).utilPercent()).isEmpty();
        assertThat(readings.get(1).memoryMb()).hasValue(20480.0);
    }

    @Test
    void anAbsentProgramIsNotFound() {
        assertThat(NvidiaSmi.find("replica-no-such-nvidia-smi")).isEmpty();
        assertThat(NvidiaSmi.find("/nonexistent/nvidia-smi")).isEmpty();
    }
}
