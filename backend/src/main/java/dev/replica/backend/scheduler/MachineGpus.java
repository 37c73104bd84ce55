package dev.replica.backend.scheduler;

import dev.replica.kernels.KernelBackends;
import dev.replica.kernels.KernelDevice;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The GPUs this machine offers to {@code executor: local} runs: {@code replica.scheduler.gpus} when set,
 * otherwise the GPUs the kernel backends report (as {@code replica devices} lists them), probed once and
 * only when a spec first asks for a GPU.
 */
@ApplicationScoped
public class MachineGpus {

    @Inject
    SchedulerConfig config;

    private volatile GpuSlots slots;

    /** How many GPUs runs can use here. */
    public int count() {
        return slots().total();
    }

    /** The slot accounting shared by every run of this process. */
    public GpuSlots slots() {
        GpuSlots s = slots;
        if (s == null) {
            synchronized (this) {
                if (slots == null) {
                    slots = new GpuSlots(
                            config.gpus().isPresent() ? config.gpus().getAsInt() : detect(KernelBackends.devices()));
                }
                s = slots;
            }
        }
        return s;
    }

    /** Replaces the device count (tests: this machine has no GPU). Only while no run holds a slot. */
    synchronized void override(int count) {
        if (slots != null && slots.free() != slots.total()) {
            throw new IllegalStateException("GPU slots are in use");
        }
        slots = new GpuSlots(count);
    }

    /**
     * Real GPUs among the devices: per backend those of type GPU that are not emulated; the largest count of
     * any backend, since OpenCL and TornadoVM list the same cards.
     */
    public static int detect(List<KernelDevice> devices) {
        Map<String, Long> perBackend = devices.stream()
                .filter(d -> "GPU".equalsIgnoreCase(d.type()) && !d.emulated())
                .collect(Collectors.groupingBy(KernelDevice::backend, Collectors.counting()));
        return perBackend.values().stream().mapToInt(Long::intValue).max().orElse(0);
    }
}
