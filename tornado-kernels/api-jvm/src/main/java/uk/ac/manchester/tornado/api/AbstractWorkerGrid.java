package uk.ac.manchester.tornado.api;

/** Shared state of the 1- and 2-D grids (public, with a protected constructor, as in TornadoVM 5.2). */
public abstract class AbstractWorkerGrid implements WorkerGrid {

    protected long[] globalWork;
    protected long[] localWork;

    protected AbstractWorkerGrid(long x, long y, long z) {
        setGlobalWork(x, y, z);
    }

    @Override
    public long[] getGlobalWork() {
        return globalWork.clone();
    }

    @Override
    public long[] getLocalWork() {
        return localWork == null ? null : localWork.clone();
    }

    @Override
    public void setGlobalWork(long x, long y, long z) {
        globalWork = new long[] {x, y, z};
    }

    @Override
    public void setLocalWork(long x, long y, long z) {
        localWork = new long[] {x, y, z};
    }

    @Override
    public void setLocalWorkToNull() {
        localWork = null;
    }

    @Override
    public long[] getNumberOfWorkgroups() {
        long[] l = localWork == null ? new long[] {1, 1, 1} : localWork;
        return new long[] {globalWork[0] / l[0], globalWork[1] / l[1], globalWork[2] / l[2]};
    }
}
