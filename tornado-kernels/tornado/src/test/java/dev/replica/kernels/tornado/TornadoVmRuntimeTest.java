package dev.replica.kernels.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.replica.kernels.BackendProbe;
import dev.replica.kernels.DeviceDescription;
import dev.replica.kernels.KernelBackends;
import dev.replica.kernels.KernelDevice;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What Replica reports about TornadoVM's real runtime: devices, accelerator status, version and JIT flags. */
@Tag("tornadovm-sdk")
class TornadoVmRuntimeTest {

    @Test
    void listsTornadoVmsDevicesWithBackendDriverAndMemory() {
        assertFalse(TornadoRuntimeInfo.emulated());
        List<TornadoRuntimeInfo.Device> devices = TornadoRuntimeInfo.realDevices();
        assertFalse(devices.isEmpty(), "TornadoVM reports no device");
        for (TornadoRuntimeInfo.Device d : devices) {
            System.out.println("TornadoVM device " + d);
            assertTrue(d.id().matches("\\d+:\\d+"), d.id());
            assertNotEquals("?", d.name());
            assertTrue(d.globalMemoryBytes() > 0, "no memory size: " + d);
        }
        BackendProbe probe = new TornadoBackendProvider().probe();
        assertTrue(probe.available(), probe.message());
        KernelDevice first = probe.devices().get(0);
        assertEquals("tornadovm", first.backend());
        assertTrue(first.driver().startsWith("TornadoVM " + TornadoRuntimeInfo.version() + " "), first.driver());
        assertTrue(first.memoryBytes() > 0);
        assertFalse(first.emulated());
    }

    @Test
    void aCpuOpenClDeviceIsNotAnAcceleratorSoAutoSkipsIt() {
        TornadoRuntimeInfo.Device d = TornadoRuntimeInfo.realDevices().get(0);
        BackendProbe probe = new TornadoBackendProvider().probe();
        assertEquals(d.type().equals("GPU") || d.type().equals("ACCELERATOR"), probe.accelerated(), probe.message());
        KernelBackends.Selection auto = KernelBackends.select("auto");
        if (probe.accelerated()) {
            assertEquals("tornadovm", auto.backend().name(), auto.summary());
        } else {
            assertNotEquals("tornadovm", auto.backend().name(), auto.summary());
            assertTrue(auto.summary().contains("not an accelerator"), auto.summary());
        }
        // asked for by name, it runs on TornadoVM's device, not on an emulation
        KernelBackends.Selection named = KernelBackends.select("tornadovm");
        assertEquals("tornadovm", named.backend().name());
        DeviceDescription description = named.backend().deviceDescription();
        assertFalse(description.emulated());
        assertEquals(d.name(), description.device());
    }

    @Test
    void versionAndJitFlagsNameTheRealRuntime() {
        assertTrue(TornadoRuntimeInfo.version().startsWith("5.2.0"), TornadoRuntimeInfo.version());
        String flags = TornadoRuntimeInfo.jitFlags();
        assertTrue(flags.contains("-cl-fast-relaxed-math"), flags);
        assertTrue(flags.contains("recover.bailout=False"), flags);
        java.util.Map<String, Object> manifest =
                new TornadoBackend().deviceDescription().toManifest();
        assertEquals(TornadoRuntimeInfo.version(), manifest.get("tornadovm_version"));
        assertEquals(flags, manifest.get("jit_flags"));
        assertEquals("0:0", manifest.get("tornadovm_device"));
        assertEquals(false, manifest.get("emulated"));
    }
}
