package dev.replica.backend.scheduler;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** The scheduler's thread pools: daemon threads (they never keep a CLI alive), stopped with a grace period. */
final class Threads {

    private Threads() {}

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Lets running tasks finish for up to {@code seconds}; no new ones are taken. */
    static void shutdown(ExecutorService pool, int seconds) {
        if (pool == null) {
            return;
        }
        pool.shutdown();
        try {
            pool.awaitTermination(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
