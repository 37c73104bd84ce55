package uk.ac.manchester.tornado.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

class KernelContextEmulationTest {

    static void addOne(FloatArray a, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            a.set(i, a.get(i) + 1f);
        }
    }

    /** Work-group sum in local memory with a tree of barriers; one partial sum per group. */
    static void groupSum(KernelContext ctx, FloatArray in, FloatArray partial) {
        float[] local = ctx.allocateFloatLocalArray(64);
        int lid = ctx.localIdx;
        local[lid] = in.get(ctx.globalIdx);
        for (int stride = ctx.localGroupSizeX / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                local[lid] += local[lid + stride];
            }
        }
        if (lid == 0) {
            partial.set(ctx.groupIdx, local[0]);
        }
    }

    static void globalIds(KernelContext ctx, FloatArray out, int width) {
        out.set(ctx.globalIdy * width + ctx.globalIdx, ctx.globalIdy * 100 + ctx.globalIdx);
    }

    @Test
    void parallelLoopTasksRunAsPlainJava() throws TornadoExecutionPlanException {
        FloatArray a = FloatArray.fromArray(new float[] {1, 2, 3});
        TaskGraph tg = new TaskGraph("s")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, a)
                .task("t", KernelContextEmulationTest::addOne, a, 3)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, a);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(tg.snapshot())) {
            plan.execute();
            plan.execute();
        }
        assertEquals(5f, a.get(2));
    }

    @Test
    void barriersAndLocalMemoryGiveCorrectWorkGroupSums() throws TornadoExecutionPlanException {
        int n = 256;
        FloatArray in = new FloatArray(n);
        for (int i = 0; i < n; i++) {
            in.set(i, i);
        }
        FloatArray partial = new FloatArray(4);
        WorkerGrid grid = new WorkerGrid1D(n);
        grid.setLocalWork(64, 1, 1);
        TaskGraph tg =
                new TaskGraph("s").task("sum", KernelContextEmulationTest::groupSum, new KernelContext(), in, partial);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(tg.snapshot())) {
            plan.withGridScheduler(new GridScheduler("s.sum", grid)).execute();
        }
        for (int gidx = 0; gidx < 4; gidx++) {
            float expected = 0;
            for (int i = gidx * 64; i < (gidx + 1) * 64; i++) {
                expected += i;
            }
            assertEquals(expected, partial.get(gidx), "group " + gidx);
        }
    }

    @Test
    void twoDimensionalGridsSeeEveryGlobalIdOnce() throws TornadoExecutionPlanException {
        FloatArray out = new FloatArray(6 * 4);
        out.init(-1f);
        WorkerGrid grid = new WorkerGrid2D(6, 4);
        grid.setLocalWork(3, 2, 1);
        TaskGraph tg =
                new TaskGraph("g").task("ids", KernelContextEmulationTest::globalIds, new KernelContext(), out, 6);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(tg.snapshot())) {
            plan.withGridScheduler(new GridScheduler("g.ids", grid)).execute();
        }
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(y * 100 + x, out.get(y * 6 + x));
            }
        }
    }

    @Test
    void kernelContextTaskWithoutAGridIsRejectedWithTheTaskName() {
        FloatArray out = new FloatArray(4);
        TaskGraph tg =
                new TaskGraph("g").task("ids", KernelContextEmulationTest::globalIds, new KernelContext(), out, 2);
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new TornadoExecutionPlan(tg.snapshot()).execute());
        assertTrue(e.getMessage().contains("'g.ids'"), e.getMessage());
    }

    @Test
    void rejectsGlobalSizeThatIsNotAMultipleOfTheLocalSize() {
        FloatArray out = new FloatArray(10);
        WorkerGrid grid = new WorkerGrid1D(10);
        grid.setLocalWork(4, 1, 1);
        TaskGraph tg =
                new TaskGraph("g").task("ids", KernelContextEmulationTest::globalIds, new KernelContext(), out, 10);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new TornadoExecutionPlan(tg.snapshot())
                        .withGridScheduler(new GridScheduler("g.ids", grid))
                        .execute());
        assertEquals("global work size 10 is not a multiple of local work size 4 in dimension 0", e.getMessage());
    }
}
