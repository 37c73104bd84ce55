package uk.ac.manchester.tornado.api;

/** Shared state of the 1-, 2- and 3-D grids. */
abstract class AbstractWorkerGrid implements WorkerGrid {

    private final long[] global = {1, 1, 1};
    private long[] local;
    private final int dims;

    AbstractWorkerGrid(int dims, long x, long y, long z) {
        this.dims = dims;
        setGlobalWork(x, y, z);
    }

    @Override
    public int dimension() {
        return dims;
    }

    @Override
    public long[] getGlobalWork() {
        return global.clone();
    }

    @Override
    public long[] getLocalWork() {
        return local == null ? null : local.clone();
    }

    @Override
    public void setGlobalWork(long x, long y, long z) {
        global[0] = x;
        global[1] = y;
        global[2] = z;
    }

    @Override
    public void setLocalWork(long x, long y, long z) {
        local = new long[] {x, y, z};
    }

    @Override
    public void setLocalWorkToNull() {
        local = null;
    }

    @Override
    public long[] getNumberOfWorkgroups() {
        long[] l = local == null ? new long[] {1, 1, 1} : local;
        return new long[] {global[0] / l[0], global[1] / l[1], global[2] / l[2]};
    }
}
