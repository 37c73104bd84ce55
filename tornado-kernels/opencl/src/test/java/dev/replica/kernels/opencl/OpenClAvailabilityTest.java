package dev.replica.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.replica.kernels.BackendProbe;
import dev.replica.kernels.KernelBackendProvider;
import dev.replica.kernels.KernelBackends;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery, device selection, availability reporting and build-error surfacing. */
class OpenClAvailabilityTest {

    private static OpenClDeviceInfo device(int p, int d, String name, OpenClDeviceInfo.Type type) {
        return new OpenClDeviceInfo(
                p,
                d,
                "Platform " + p,
                "OpenCL 3.0",
                name,
                "vendor",
                "1.0",
                "OpenCL 3.0",
                type,
                2,
                1024,
                65536,
                1L << 30);
    }

    private static final List<OpenClDeviceInfo> DEVICES = List.of(
            device(0, 0, "pthread-cpu", OpenClDeviceInfo.Type.CPU),
            device(1, 0, "NVIDIA H100", OpenClDeviceInfo.Type.GPU),
            device(1, 1, "NVIDIA L4", OpenClDeviceInfo.Type.GPU));

    @Test
    void findsTheIcdLoaderInTheLinkerCacheOrALibraryFolder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path cache = dir.resolve("ld.so.cache");
        java.nio.file.Path lib = java.nio.file.Files.createDirectories(dir.resolve("lib"));
        java.nio.file.Files.write(cache, "glibc-ld.so.cache1.1\0libOpenCL.so.1\0/lib/libOpenCL.so.1\0".getBytes());
        assertTrue(OpenClProbe.libraryFindable("libOpenCL.so.1", cache, List.of(lib)));
        java.nio.file.Files.write(cache, "glibc-ld.so.cache1.1\0libOpenCL.so.1.0.0-not\0libm.so.6\0".getBytes());
        assertFalse(OpenClProbe.libraryFindable("libOpenCL.so.1", cache, List.of(lib)));
        assertFalse(OpenClProbe.libraryFindable("libOpenCL.so.1", dir.resolve("absent"), List.of(lib)));
        java.nio.file.Files.createFile(lib.resolve("libOpenCL.so.1"));
        assertTrue(OpenClProbe.libraryFindable("libOpenCL.so.1", dir.resolve("absent"), List.of(lib)));
    }

    @Test
    void selectsDevicesByTypeIdIndexAndName() {
        assertEquals("NVIDIA H100", OpenClDevices.select(DEVICES, "auto").deviceName(), "auto prefers a GPU");
        assertEquals("pthread-cpu", OpenClDevices.select(DEVICES, "cpu").deviceName());
        assertEquals("NVIDIA L4", OpenClDevices.select(DEVICES, "1:1").deviceName());
        assertEquals("NVIDIA L4", OpenClDevices.select(DEVICES, "2").deviceName());
        assertEquals("NVIDIA L4", OpenClDevices.select(DEVICES, "l4").deviceName());
        assertEquals(
                "pthread-cpu",
                OpenClDevices.select(DEVICES.subList(0, 1), "auto").deviceName(),
                "auto takes the CPU when there is no GPU");
    }

    @Test
    void rejectsUnknownSelectorListingTheDevicesThereAre() {
        OpenClException e = assertThrows(OpenClException.class, () -> OpenClDevices.select(DEVICES, "7:3"));
        assertEquals(
                "no OpenCL device matches replica.kernels.opencl.device='7:3'; available: "
                        + "0:0 CPU pthread-cpu (driver 1.0, Platform 0); 1:0 GPU NVIDIA H100 (driver 1.0, Platform 1); "
                        + "1:1 GPU NVIDIA L4 (driver 1.0, Platform 1)",
                e.getMessage());
    }

    @Test
    void explainsMissingPlatform() {
        OpenClException e = assertThrows(OpenClException.class, () -> OpenClDevices.select(List.of(), "auto"));
        assertTrue(e.getMessage().startsWith("no OpenCL platform/device found (install an ICD"), e.getMessage());
    }

    @Test
    void probeWithUnmatchedSelectorReportsUnavailableWithReason() {
        OpenClTestSupport.requireOpenCl();
        OpenClProbe.Result r = OpenClProbe.probe("no-such-device-anywhere");
        assertFalse(r.available());
        assertTrue(
                r.reason()
                        .startsWith("no OpenCL device matches replica.kernels.opencl.device='no-such-device-anywhere'"),
                r.reason());
        assertTrue(r.summary().startsWith("OpenCL unavailable: "), r.summary());
    }

    @Test
    void providerIsRegisteredAndSelectableWithDeviceAndDriverForTheManifest() {
        KernelBackendProvider provider = KernelBackends.providers().stream()
                .filter(p -> p.name().equals("opencl"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("opencl provider missing from META-INF/services"));
        OpenClProbe.Result r = OpenClTestSupport.requireOpenCl();
        BackendProbe probe = provider.probe();
        assertTrue(probe.available(), probe.message());
        OpenClDeviceInfo info = r.device().orElseThrow();
        assertEquals(info.type() != OpenClDeviceInfo.Type.CPU, probe.accelerated());
        KernelBackends.Selection s = KernelBackends.select("opencl");
        try {
            assertEquals("opencl", s.backend().name(), s.summary());
            assertTrue(s.backend().deviceDescription().device().startsWith(info.deviceName()));
            assertTrue(s.backend().deviceDescription().driver().contains("driver " + info.driverVersion()));
            System.out.println("selected: " + s.summary());
        } finally {
            s.backend().close();
        }
    }

    @Test
    void programThatDoesNotCompileReportsTheBuildLog() {
        OpenClTestSupport.requireOpenCl();
        OpenClRuntime rt = OpenClRuntime.shared();
        OpenClException e = assertThrows(
                OpenClException.class,
                () -> rt.build("broken", "__kernel void f(__global float* x) { x[0] = undefined_thing; }", ""));
        assertTrue(
                e.getMessage()
                        .startsWith("OpenCL program broken failed to build for "
                                + rt.info().deviceName()),
                e.getMessage());
        assertTrue(e.getMessage().contains("undefined_thing"), "the build log names the culprit: " + e.getMessage());
    }

    @Test
    void reportsDeviceNameAndDriverVersion() {
        OpenClProbe.Result r = OpenClTestSupport.requireOpenCl();
        OpenClDeviceInfo d = r.device().orElseThrow();
        assertFalse(d.deviceName().isBlank());
        assertFalse(d.driverVersion().isBlank());
        assertTrue(d.computeUnits() > 0);
        System.out.println("OpenCL device: " + d.describe());
    }
}
