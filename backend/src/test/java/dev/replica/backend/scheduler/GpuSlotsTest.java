package dev.replica.backend.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replica.kernels.KernelDevice;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuSlotsTest {

    @Test
    void givesTheLowestFreeSlotsAndMakesTheRestWait() {
        GpuSlots slots = new GpuSlots(3);
        assertThat(slots.acquire(2)).contains(List.of(0, 1));
        assertThat(slots.acquire(2)).isEmpty();
        assertThat(slots.free()).isEqualTo(1);
        assertThat(slots.acquire(1)).contains(List.of(2));
        slots.release(List.of(0));
        assertThat(slots.acquire(1)).contains(List.of(0));
        assertThat(slots.acquire(0)).contains(List.of());
    }

    @Test
    void aMachineWithoutGpusHasNoSlotsToGive() {
        GpuSlots none = new GpuSlots(0);
        assertThat(none.acquire(1)).isEmpty();
        assertThat(none.acquire(0)).contains(List.of());
    }

    @Test
    void releasingASlotNotTakenIsABug() {
        GpuSlots slots = new GpuSlots(1);
        assertThatThrownBy(() -> slots.release(List.of(0))).hasMessage("GPU slot 0 is not taken");
    }

    @Test
    void countsRealGpusOncePerMachineNotPerBackend() {
        List<KernelDevice> devices = List.of(
                new KernelDevice("jvm", "0", "JVM", "CPU", "17", false, false),
                new KernelDevice("opencl", "0:0", "NVIDIA H200", "GPU", "550", true, false),
                new KernelDevice("opencl", "0:1", "NVIDIA H200", "GPU", "550", true, false),
                new KernelDevice("tornadovm", "0", "NVIDIA H200", "GPU", "550", true, false),
                new KernelDevice("tornadovm", "1", "emulated GPU", "GPU", "jvm", false, true));
        assertThat(MachineGpus.detect(devices)).isEqualTo(2);
        assertThat(MachineGpus.detect(devices.subList(0, 1))).isZero();
    }
}
