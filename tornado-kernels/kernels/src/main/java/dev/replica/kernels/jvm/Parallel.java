package dev.replica.kernels.jvm;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * Runs {@code n} independent tasks on a bounded ForkJoin pool. The task split is the caller's (fixed by the
 * problem shape, never by the thread count), so results do not depend on how many threads run them.
 */
final class Parallel implements AutoCloseable {

    private final int threads;
    private ForkJoinPool pool;

    Parallel(int threads) {
        this.threads = threads;
    }

    int threads() {
        return threads;
    }

    /** Runs {@code body.accept(i)} for i in [0, n); returns when all are done; rethrows the first failure. */
    void forEach(int n, IntConsumer body) {
        if (n <= 0) {
            return;
        }
        if (threads == 1 || n == 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        pool().invoke(new Range(body, 0, n));
    }

    /** Number of blocks of {@code block} covering {@code n}. */
    static int blocks(int n, int block) {
        return (n + block - 1) / block;
    }

    private synchronized ForkJoinPool pool() {
        if (pool == null) {
            pool = new ForkJoinPool(
                    threads,
                    p -> {
                        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                        t.setName("replica-kernels-" + t.getPoolIndex());
                        t.setDaemon(true);
                        return t;
                    },
                    null,
                    false);
        }
        return pool;
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdown();
            pool = null;
        }
    }

    private static final class Range extends RecursiveAction {
        private final IntConsumer body;
        private final int lo;
        private final int hi;

        Range(IntConsumer body, int lo, int hi) {
            this.body = body;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                body.accept(lo);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Range(body, lo, mid), new Range(body, mid, hi));
        }
    }
}
