package dev.replica.backend.scheduler;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Wakes the scheduler the moment a held run ends, so the next queued run starts at once instead of at the next
 * poll (issue #21; 200 one-line runs used to wait 500 ms each). The poll stays as the safety net for what no
 * signal reports: runs queued or cancelled by another process. A generation counter makes the wait lossless:
 * a run that ends between a tick and the wait still wakes it.
 */
@ApplicationScoped
public class SlotFreed {

    private final Object lock = new Object();
    private long generation;
    private volatile Runnable listener = () -> {};

    /** A held run has ended and given back its slots. */
    void signal() {
        synchronized (lock) {
            generation++;
            lock.notifyAll();
        }
        listener.run();
    }

    /** The current generation: pass it to {@link #awaitAfter} to wait for the next signal. */
    long generation() {
        synchronized (lock) {
            return generation;
        }
    }

    /** Waits until a signal after {@code seen}, or {@code timeoutMs}; true when signalled. */
    boolean awaitAfter(long seen, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        synchronized (lock) {
            while (generation == seen) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
            return true;
        }
    }

    /** Also call {@code r} on every signal (the background scheduler's extra tick). */
    void onSignal(Runnable r) {
        listener = r;
    }
}
