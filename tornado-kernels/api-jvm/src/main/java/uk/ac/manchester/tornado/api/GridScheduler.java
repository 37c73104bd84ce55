package uk.ac.manchester.tornado.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** Maps {@code "graphName.taskName"} to the {@link WorkerGrid} its kernel is launched on. */
public class GridScheduler {

    private final Map<String, WorkerGrid> grids = new LinkedHashMap<>();

    public GridScheduler() {}

    public GridScheduler(String taskName, WorkerGrid workerGrid) {
        addWorkerGrid(taskName, workerGrid);
    }

    public void addWorkerGrid(String taskName, WorkerGrid workerGrid) {
        grids.put(taskName, workerGrid);
    }

    public WorkerGrid get(String taskName) {
        return grids.get(taskName);
    }

    public boolean contains(String taskGraphName, String taskName) {
        return grids.containsKey(taskGraphName + "." + taskName);
    }
}
