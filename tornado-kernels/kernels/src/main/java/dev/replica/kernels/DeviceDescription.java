package dev.replica.kernels;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What runs a backend's kernels, as recorded in a run manifest.
 *
 * @param backend  backend name ({@code jvm}, {@code opencl}, {@code tornadovm}, {@code reference})
 * @param device   device name, e.g. "NVIDIA H100 80GB HBM3" or "JVM (2 threads, 256-bit vectors)"
 * @param driver   driver or runtime version, e.g. "OpenCL 3.0 CUDA 12.4" or "OpenJDK 17.0.15"
 * @param emulated true when the backend's programming model runs on an emulation rather than its real
 *                 runtime (the TornadoVM kernels on the api-jvm implementation)
 * @param runtime  further facts that decide the numerics, recorded beside the others in the manifest, e.g.
 *                 {@code tornadovm_version} and {@code jit_flags} for TornadoVM; empty for most backends
 */
public record DeviceDescription(
        String backend, String device, String driver, boolean emulated, Map<String, String> runtime) {

    public DeviceDescription {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(driver, "driver");
        runtime = Map.copyOf(runtime);
    }

    public DeviceDescription(String backend, String device, String driver, boolean emulated) {
        this(backend, device, driver, emulated, Map.of());
    }

    /** Sorted key/value form for the canonical JSON manifest. */
    public Map<String, Object> toManifest() {
        Map<String, Object> m = new TreeMap<>();
        m.put("backend", backend);
        m.put("device", device);
        m.put("driver", driver);
        m.put("emulated", emulated);
        m.putAll(runtime);
        return m;
    }

    @Override
    public String toString() {
        return backend + " on " + device + " (" + driver + (emulated ? ", emulated" : "") + ")";
    }
}
