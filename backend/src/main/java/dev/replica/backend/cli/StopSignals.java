package dev.replica.backend.cli;

import dev.replica.backend.scheduler.Scheduler;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM of {@code replica run}. The JVM's shutdown hooks run in no fixed order and H2's
 * closes the database at once, so the runs are cancelled and recorded here, on the first signal, before the
 * JVM begins to shut down; then the process exits with 130. A second signal exits at once, leaving whatever is
 * still running to recovery.
 */
final class StopSignals {

    private StopSignals() {}

    static void install(Scheduler scheduler, PrintStream err) {
        AtomicInteger received = new AtomicInteger();
        Runnable onSignal = () -> {
            if (received.incrementAndGet() > 1) {
                err.println("replica: stopped at once; runs not yet recorded are left to recovery");
                Runtime.getRuntime().halt(130);
            }
            err.println("replica: cancelling the runs (Ctrl-C again to exit at once)");
            Thread stopper = new Thread(
                    () -> {
                        try {
                            scheduler.cancelForeground("cancelled (Ctrl-C)", 12_000);
                        } finally {
                            System.exit(130);
                        }
                    },
                    "replica-stop");
            stopper.start();
        };
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> onSignal.run());
            } catch (IllegalArgumentException e) {
                // a signal this platform does not have, or one the JVM reserves: the shutdown hook still cancels
            }
        }
    }
}
