package uk.ac.manchester.tornado.api;

public class WorkerGrid2D extends AbstractWorkerGrid {
    public WorkerGrid2D(int x, int y) {
        super(2, x, y, 1);
    }
}
