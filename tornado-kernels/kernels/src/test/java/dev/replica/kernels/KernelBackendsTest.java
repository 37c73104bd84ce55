package dev.replica.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.replica.kernels.jvm.JvmBackendProvider;
import dev.replica.kernels.ops.ReferenceKernels;
import dev.replica.kernels.ops.ReferenceKernelsProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelBackendsTest {

    /** A stand-in provider with a fixed probe. */
    private record FakeProvider(String name, boolean available, boolean accelerated) implements KernelBackendProvider {
        @Override
        public BackendProbe probe() {
            return available
                    ? new BackendProbe(
                            name,
                            true,
                            accelerated,
                            accelerated ? "fake GPU" : "fake CPU device only",
                            List.of(new KernelDevice(
                                    name, "0", "fake", accelerated ? "GPU" : "CPU", "1.0", accelerated, false)))
                    : BackendProbe.unavailable(name, "no " + name + " runtime found");
        }

        @Override
        public KernelBackend create() {
            return new ReferenceKernels() {
                @Override
                public String name() {
                    return FakeProvider.this.name;
                }
            };
        }
    }

    @Test
    void autoUsesTheJvmBackendAndSaysWhyWhenNoAcceleratorIsPresent() {
        KernelBackends.Selection s = KernelBackends.select(
                "auto", List.of(new FakeProvider("opencl", true, false), new JvmBackendProvider()));
        assertEquals("jvm", s.backend().name());
        String notes = String.join("; ", s.notes());
        assertTrue(notes.contains("tornadovm: not on the class path"), notes);
        assertTrue(notes.contains("opencl: no accelerator (fake CPU device only)"), notes);
        assertFalse(s.fellBack());
    }

    @Test
    void autoPrefersARealTornadoRuntimeOverAnOpenClGpu() {
        KernelBackends.Selection s = KernelBackends.select(
                "AUTO",
                List.of(
                        new FakeProvider("opencl", true, true),
                        new FakeProvider("tornadovm", true, true),
                        new JvmBackendProvider()));
        assertEquals("tornadovm", s.backend().name());
        assertTrue(s.notes().isEmpty());
    }

    @Test
    void autoSkipsAnEmulatedTornadoBackendAndTakesTheOpenClGpu() {
        KernelBackends.Selection s = KernelBackends.select(
                "auto",
                List.of(
                        new FakeProvider("opencl", true, true),
                        new FakeProvider("tornadovm", true, false),
                        new JvmBackendProvider()));
        assertEquals("opencl", s.backend().name());
    }

    @Test
    void namedBackendThatIsMissingFallsBackToJvmWithAMessage() {
        KernelBackends.Selection s = KernelBackends.select("opencl", List.of(new JvmBackendProvider()));
        assertEquals("jvm", s.backend().name());
        assertTrue(s.fellBack());
        assertTrue(s.summary().contains("opencl backend is not on the class path"), s.summary());
    }

    @Test
    void namedBackendThatIsUnavailableFallsBackAndSaysWhy() {
        KernelBackends.Selection s = KernelBackends.select(
                "tornadovm", List.of(new FakeProvider("tornadovm", false, false), new JvmBackendProvider()));
        assertEquals("jvm", s.backend().name());
        assertEquals(List.of("tornadovm backend unavailable: no tornadovm runtime found; falling back"), s.notes());
    }

    @Test
    void namedBackendWithoutAcceleratorIsHonouredWithACaveat() {
        KernelBackends.Selection s = KernelBackends.select(
                "opencl", List.of(new FakeProvider("opencl", true, false), new JvmBackendProvider()));
        assertEquals("opencl", s.backend().name());
        assertEquals(List.of("opencl: fake CPU device only"), s.notes());
    }

    @Test
    void rejectsAnUnknownSettingListingTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelBackends.select("cuda"));
        assertEquals(
                "Unknown replica.kernels.backend 'cuda'; expected one of [auto, jvm, opencl, tornadovm, reference]",
                e.getMessage());
    }

    @Test
    void serviceLoaderFindsTheJvmAndReferenceBackends() {
        List<String> names = KernelBackends.providers().stream()
                .map(KernelBackendProvider::name)
                .toList();
        assertTrue(names.containsAll(List.of("jvm", "reference")), names.toString());
        assertEquals("jvm", KernelBackends.select("jvm").backend().name());
        assertEquals("reference", KernelBackends.select("reference").backend().name());
    }

    @Test
    void devicesListsTheJvmCpu() {
        List<KernelDevice> devices = KernelBackends.devices();
        KernelDevice cpu = devices.stream()
                .filter(d -> d.backend().equals("jvm"))
                .findFirst()
                .orElseThrow();
        assertEquals("CPU", cpu.type());
        assertFalse(cpu.accelerator());
    }

    @Test
    void jvmBackendFallsBackToReferenceWhenTheVectorApiIsMissing() {
        KernelBackendProvider noVector = new KernelBackendProvider() {
            @Override
            public String name() {
                return "jvm";
            }

            @Override
            public BackendProbe probe() {
                return BackendProbe.unavailable(
                        "jvm", "the Vector API is missing: start the JVM with --add-modules jdk.incubator.vector");
            }

            @Override
            public KernelBackend create() {
                throw new IllegalStateException("unavailable");
            }
        };
        KernelBackends.Selection s = KernelBackends.select("auto", List.of(noVector, new ReferenceKernelsProvider()));
        assertEquals("reference", s.backend().name());
        assertTrue(s.summary().contains("--add-modules jdk.incubator.vector"), s.summary());
    }

    @Test
    void deviceDescriptionGoesIntoTheManifestAsSortedKeys() {
        DeviceDescription d = new DeviceDescription("jvm", "cpu", "OpenJDK 17", false);
        assertEquals(
                List.of("backend", "device", "driver", "emulated"),
                List.copyOf(d.toManifest().keySet()));
    }
}
