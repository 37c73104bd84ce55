package dev.replica.kernels.tornado;

import static dev.replica.kernels.testing.Parity.assertClose;
import static dev.replica.kernels.testing.Parity.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.replica.kernels.BackendProbe;
import dev.replica.kernels.KernelBackends;
import dev.replica.kernels.ops.ReferenceKernels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TornadoBackendTest {

    @Test
    void tiledLocalMemoryGemmMatchesReferenceForAllTransposes() {
        Random rnd = new Random(21);
        int M = 70, N = 90, K = 53; // above the tiled threshold, not multiples of the tile
        assertTrue((long) M * N * K >= TornadoBackend.TILED_GEMM_WORK);
        TornadoBackend tornado = new TornadoBackend();
        ReferenceKernels ref = new ReferenceKernels();
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            float[] a = randn(rnd, M * K), b = randn(rnd, K * N), c = randn(rnd, M * N);
            float[] e = c.clone(), g = c.clone();
            ref.gemm(e, a, b, M, N, K, ta, tb, 1.5f, 0.5f);
            tornado.gemm(g, a, b, M, N, K, ta, tb, 1.5f, 0.5f);
            assertClose("tornadovm tiled gemm tA=" + ta + " tB=" + tb, e, g, 1e-4f * (float) Math.sqrt(K) * 4, 1e-4f);
        }
    }

    @Test
    void reportsTheJvmEmulationHonestly() {
        assumeTrue(TornadoRuntimeInfo.emulated(), "running on a real TornadoVM runtime");
        assertTrue(new TornadoBackend().deviceDescription().emulated());
        BackendProbe probe = new TornadoBackendProvider().probe();
        assertTrue(probe.available());
        assertFalse(probe.accelerated(), "the emulation must never count as an accelerator");
        assertTrue(probe.message().startsWith("no TornadoVM runtime"), probe.message());
    }

    @Test
    void autoSelectionSkipsTheEmulationAndNamedSelectionSaysItIsEmulated() {
        assumeTrue(TornadoRuntimeInfo.emulated(), "running on a real TornadoVM runtime");
        KernelBackends.Selection auto = KernelBackends.select("auto");
        assertFalse(auto.backend().name().equals("tornadovm"), auto.summary());
        assertTrue(auto.summary().contains("tornadovm: no accelerator"), auto.summary());
        KernelBackends.Selection named = KernelBackends.select("tornadovm");
        assertEquals("tornadovm", named.backend().name());
        assertTrue(named.backend().deviceDescription().emulated());
        assertTrue(named.summary().contains("JVM emulation"), named.summary());
    }
}
