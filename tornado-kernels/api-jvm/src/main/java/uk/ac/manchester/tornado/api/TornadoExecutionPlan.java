package uk.ac.manchester.tornado.api;

import dev.replica.tornado.apijvm.ApiJvm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;

/**
 * Runs immutable task graphs. JVM implementation:
 * <ul>
 *   <li>A task without a {@link KernelContext} argument (loop-parallel style with {@code @Parallel}) is called
 *       once, as plain Java: its loops run sequentially, which is a valid schedule of independent iterations.</li>
 *   <li>A task with a {@link KernelContext} needs a {@link WorkerGrid} in the {@link GridScheduler} under
 *       {@code "graph.task"}. Work-groups are independent and run one after another. Within a work-group the
 *       work-items run either one after another (cheap), or each on its own thread with a
 *       {@link CyclicBarrier} per work-group, which is what makes {@code localBarrier()} and shared local
 *       arrays sound. The first work-group always runs threaded; if none of its work-items reached a barrier,
 *       the remaining work-groups run sequentially (OpenCL requires barriers to be reached by all work-items of
 *       a group, so a kernel that used none in group 0 uses none in the others).</li>
 * </ul>
 *
 * <p>TornadoVM's class is {@code sealed} (no user subclasses); this one is {@code final} to the same effect.
 */
public final class TornadoExecutionPlan implements AutoCloseable {

    private static final ExecutorService WORK_ITEMS = Executors.newCachedThreadPool(new ThreadFactory() {
        private int n;

        @Override
        public synchronized Thread newThread(Runnable r) {
            Thread t = new Thread(r, "tornado-jvm-work-item-" + n++);
            t.setDaemon(true);
            return t;
        }
    });

    private final List<ImmutableTaskGraph> graphs;
    private GridScheduler gridScheduler;

    public TornadoExecutionPlan(ImmutableTaskGraph... immutableTaskGraphs) {
        graphs = List.of(immutableTaskGraphs);
    }

    public TornadoExecutionPlan withGridScheduler(GridScheduler gridScheduler) {
        this.gridScheduler = gridScheduler;
        return this;
    }

    public TornadoExecutionPlan withDefaultScheduler() {
        this.gridScheduler = null;
        return this;
    }

    public TornadoExecutionResult execute() {
        for (ImmutableTaskGraph g : graphs) {
            TaskGraph tg = g.getTaskGraph();
            for (TaskGraph.TaskEntry task : tg.tasks()) {
                run(tg.getTaskGraphName(), task);
            }
        }
        return new TornadoExecutionResult();
    }

    @Override
    public void close() throws TornadoExecutionPlanException {
        // nothing to free on the JVM
    }

    @Override
    public String toString() {
        return "TornadoExecutionPlan on " + ApiJvm.DESCRIPTION;
    }

    private void run(String graph, TaskGraph.TaskEntry task) {
        int ctxIndex = -1;
        for (int i = 0; i < task.args().length; i++) {
            if (task.args()[i] instanceof KernelContext) {
                ctxIndex = i;
            }
        }
        if (ctxIndex < 0) {
            task.invoker().invoke(task.args());
            return;
        }
        String key = graph + "." + task.id();
        WorkerGrid grid = gridScheduler == null ? null : gridScheduler.get(key);
        if (grid == null) {
            throw new IllegalStateException("[TornadoVM ERROR] task '" + key
                    + "' takes a KernelContext but no WorkerGrid is registered for it in a GridScheduler");
        }
        runGrid(task, ctxIndex, grid);
    }

    private void runGrid(TaskGraph.TaskEntry task, int ctxIndex, WorkerGrid grid) {
        long[] global = grid.getGlobalWork();
        long[] localW = grid.getLocalWork();
        int[] g = {(int) global[0], (int) global[1], (int) global[2]};
        int[] l = localW == null ? new int[] {1, 1, 1} : new int[] {(int) localW[0], (int) localW[1], (int) localW[2]};
        for (int d = 0; d < 3; d++) {
            if (l[d] < 1 || g[d] % l[d] != 0) {
                throw new IllegalArgumentException("global work size " + g[d] + " is not a multiple of local work size "
                        + l[d] + " in dimension " + d);
            }
        }
        int[] groups = {g[0] / l[0], g[1] / l[1], g[2] / l[2]};
        int total = groups[0] * groups[1] * groups[2];
        boolean threaded = true;
        for (int gi = 0; gi < total; gi++) {
            int gx = gi % groups[0];
            int gy = (gi / groups[0]) % groups[1];
            int gz = gi / (groups[0] * groups[1]);
            if (threaded) {
                boolean used = runGroupThreaded(task, ctxIndex, g, l, gx, gy, gz);
                threaded = used;
            } else {
                runGroupSequential(task, ctxIndex, g, l, gx, gy, gz);
            }
        }
    }

    private static KernelContext item(
            KernelContext.WorkGroup group, int[] g, int[] l, int gx, int gy, int gz, int lx, int ly, int lz) {
        return new KernelContext(group, g, l, new int[] {gx, gy, gz}, new int[] {lx, ly, lz});
    }

    private static Object[] withContext(Object[] args, int ctxIndex, KernelContext c) {
        Object[] a = args.clone();
        a[ctxIndex] = c;
        return a;
    }

    private static void runGroupSequential(
            TaskGraph.TaskEntry task, int ctxIndex, int[] g, int[] l, int gx, int gy, int gz) {
        KernelContext.WorkGroup group = new KernelContext.WorkGroup(null);
        for (int lz = 0; lz < l[2]; lz++) {
            for (int ly = 0; ly < l[1]; ly++) {
                for (int lx = 0; lx < l[0]; lx++) {
                    task.invoker()
                            .invoke(withContext(task.args(), ctxIndex, item(group, g, l, gx, gy, gz, lx, ly, lz)));
                }
            }
        }
    }

    /** Runs one work-group with a thread per work-item; returns whether any work-item reached a barrier. */
    private static boolean runGroupThreaded(
            TaskGraph.TaskEntry task, int ctxIndex, int[] g, int[] l, int gx, int gy, int gz) {
        int size = l[0] * l[1] * l[2];
        KernelContext.WorkGroup group = new KernelContext.WorkGroup(new CyclicBarrier(size));
        List<Future<?>> items = new ArrayList<>(size);
        for (int lz = 0; lz < l[2]; lz++) {
            for (int ly = 0; ly < l[1]; ly++) {
                for (int lx = 0; lx < l[0]; lx++) {
                    Object[] a = withContext(task.args(), ctxIndex, item(group, g, l, gx, gy, gz, lx, ly, lz));
                    items.add(WORK_ITEMS.submit(() -> {
                        try {
                            task.invoker().invoke(a);
                        } catch (RuntimeException | Error e) {
                            group.barrier.reset(); // release the others instead of deadlocking
                            throw e;
                        }
                    }));
                }
            }
        }
        RuntimeException failure = null;
        for (Future<?> f : items) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running a work-group", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure =
                            e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return group.barrierUsed;
    }
}
