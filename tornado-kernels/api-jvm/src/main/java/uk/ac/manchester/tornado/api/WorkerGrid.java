package uk.ac.manchester.tornado.api;

/** Global and local (work-group) sizes of a kernel launch. */
public interface WorkerGrid {

    int dimension();

    long[] getGlobalWork();

    long[] getLocalWork();

    void setGlobalWork(long x, long y, long z);

    void setLocalWork(long x, long y, long z);

    void setLocalWorkToNull();

    long[] getNumberOfWorkgroups();
}
