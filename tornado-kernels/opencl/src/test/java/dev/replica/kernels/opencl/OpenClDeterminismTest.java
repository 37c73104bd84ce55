package dev.replica.kernels.opencl;

import static dev.replica.kernels.opencl.OpenClTestSupport.backend;
import static dev.replica.kernels.opencl.OpenClTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.replica.kernels.MuonScale;
import dev.replica.kernels.opencl.OpenClRuntime.Variant;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The KernelBackend contract: the same inputs give bit-identical outputs on every call. The
 * kernels use no atomics and reduce in a fixed order, so repeated calls must agree exactly.
 */
class OpenClDeterminismTest {

    @ParameterizedTest
    @EnumSource(Variant.class)
    void repeatedCallsAreBitIdentical(Variant v) {
        OpenClBackend cl = backend(v);
        Random rnd = new Random(12);
        int B = 2;
        int T = 9;
        int C = 67;
        int OC = 45;
        float[] inp = random(rnd, B * T * C);
        float[] w = random(rnd, OC * C);
        float[] dout = random(rnd, B * T * OC);
        float[][] first = null;
        for (int run = 0; run < 2; run++) {
            float[] dinp = new float[B * T * C];
            float[] dw = new float[OC * C];
            float[] db = new float[OC];
            cl.matmulBackward(dinp, dw, db, dout, inp, w, B, T, C, OC);
            float[] ln = new float[B * T * C];
            cl.layerNormForward(ln, new float[B * T], new float[B * T], inp, random(new Random(1), C), null, B, T, C);
            float[] ns = new float[OC * C];
            cl.newtonSchulz5(ns, w, OC, C);
            float[] p = w.clone();
            float[] mom = new float[OC * C];
            float[] sec = new float[OC];
            cl.normuonUpdate(p, mom, sec, null, w, OC, C, 0.02f, 0.95f, 0.95f, 1e-10f, true, 0f, MuonScale.SPECTRAL);
            float[][] outs = {dinp, dw, db, ln, ns, p, sec, {cl.sum(inp, inp.length), cl.rowNormCv(w, OC, C)}};
            if (first == null) {
                first = outs;
            } else {
                for (int i = 0; i < outs.length; i++) {
                    assertArrayEquals(first[i], outs[i], "output " + i + " differs between two identical calls");
                }
            }
        }
        assertEquals(8, first.length);
    }
}
