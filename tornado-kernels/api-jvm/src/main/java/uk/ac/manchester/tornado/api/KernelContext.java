package uk.ac.manchester.tornado.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * Thread identity, local memory and barriers for kernels launched on a {@link WorkerGrid}.
 *
 * <p>JVM implementation: the executor gives every emulated work-item its own {@code KernelContext} with the
 * id fields filled in (the object passed to {@code TaskGraph.task} is only a placeholder). Local arrays are
 * shared by the work-items of one work-group: the n-th allocation of every work-item returns the same array.
 * Barriers synchronize the work-items of one work-group; see {@link TornadoExecutionPlan} for how work-groups
 * that use barriers are run.
 */
public class KernelContext {

    // As in TornadoVM 5.2: public final Integer fields (TornadoVM's JIT replaces reads of them with the
    // work-item's ids), so kernels compiled against this class link against the real one unchanged.
    public final Integer globalIdx;
    public final Integer globalIdy;
    public final Integer globalIdz;
    public final Integer groupIdx;
    public final Integer groupIdy;
    public final Integer groupIdz;
    public final Integer localIdx;
    public final Integer localIdy;
    public final Integer localIdz;
    public final Integer globalGroupSizeX;
    public final Integer globalGroupSizeY;
    public final Integer globalGroupSizeZ;
    public final Integer localGroupSizeX;
    public final Integer localGroupSizeY;
    public final Integer localGroupSizeZ;

    /** The work-group this work-item belongs to; null for the placeholder passed to a task. */
    final WorkGroup group;

    private int allocations;

    /** The placeholder passed to {@code TaskGraph.task}: every id 0, as in TornadoVM. */
    public KernelContext() {
        this(null, new int[] {0, 0, 0}, new int[] {0, 0, 0}, new int[] {0, 0, 0}, new int[] {0, 0, 0});
    }

    /** One emulated work-item: global size, local size, work-group id and local id, each (x, y, z). */
    KernelContext(WorkGroup group, int[] global, int[] local, int[] groupId, int[] localId) {
        this.group = group;
        this.globalGroupSizeX = global[0];
        this.globalGroupSizeY = global[1];
        this.globalGroupSizeZ = global[2];
        this.localGroupSizeX = local[0];
        this.localGroupSizeY = local[1];
        this.localGroupSizeZ = local[2];
        this.groupIdx = groupId[0];
        this.groupIdy = groupId[1];
        this.groupIdz = groupId[2];
        this.localIdx = localId[0];
        this.localIdy = localId[1];
        this.localIdz = localId[2];
        this.globalIdx = groupId[0] * local[0] + localId[0];
        this.globalIdy = groupId[1] * local[1] + localId[1];
        this.globalIdz = groupId[2] * local[2] + localId[2];
    }

    /** State shared by the work-items of one work-group. */
    static final class WorkGroup {
        final List<Object> localArrays = new ArrayList<>();
        /** Null when the group runs its work-items one after another (no barriers allowed). */
        final CyclicBarrier barrier;

        volatile boolean barrierUsed;

        WorkGroup(CyclicBarrier barrier) {
            this.barrier = barrier;
        }

        synchronized Object local(int index, java.util.function.Supplier<Object> create) {
            while (localArrays.size() <= index) {
                localArrays.add(null);
            }
            if (localArrays.get(index) == null) {
                localArrays.set(index, create.get());
            }
            return localArrays.get(index);
        }
    }

    /** Thrown inside a work-item to signal that a barrier was reached while running sequentially. */
    static final class BarrierInSequentialMode extends RuntimeException {
        BarrierInSequentialMode() {
            super("localBarrier() reached in a work-group run sequentially", null, false, false);
        }
    }

    private void barrier() {
        if (group == null) {
            return;
        }
        group.barrierUsed = true;
        if (group.barrier == null) {
            throw new BarrierInSequentialMode();
        }
        try {
            group.barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at a barrier", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("a work-item of this work-group failed before the barrier", e);
        }
    }

    /** barrier(CLK_LOCAL_MEM_FENCE): waits for every work-item of the work-group. */
    public void localBarrier() {
        barrier();
    }

    /** barrier(CLK_GLOBAL_MEM_FENCE): as in OpenCL, synchronizes the work-items of one work-group. */
    public void globalBarrier() {
        barrier();
    }

    public float[] allocateFloatLocalArray(int size) {
        return group == null ? new float[size] : (float[]) group.local(allocations++, () -> new float[size]);
    }

    public int[] allocateIntLocalArray(int size) {
        return group == null ? new int[size] : (int[]) group.local(allocations++, () -> new int[size]);
    }

    public double[] allocateDoubleLocalArray(int size) {
        return group == null ? new double[size] : (double[]) group.local(allocations++, () -> new double[size]);
    }

    public long[] allocateLongLocalArray(int size) {
        return group == null ? new long[size] : (long[]) group.local(allocations++, () -> new long[size]);
    }
}
