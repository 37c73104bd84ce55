package uk.ac.manchester.tornado.api;

/** A frozen {@link TaskGraph}, the unit an execution plan runs. */
public final class ImmutableTaskGraph {

    private final TaskGraph taskGraph;

    ImmutableTaskGraph(TaskGraph taskGraph) {
        this.taskGraph = taskGraph;
    }

    TaskGraph getTaskGraph() {
        return taskGraph;
    }
}
