package uk.ac.manchester.tornado.api;

public class WorkerGrid1D extends AbstractWorkerGrid {
    public WorkerGrid1D(int x) {
        super(1, x, 1, 1);
    }
}
