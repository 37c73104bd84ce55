package dev.replica.backend.scheduler;

import dev.replica.backend.executor.CancellationToken;
import dev.replica.backend.run.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Heartbeats and recovery: the runs held here are marked alive every {@code heartbeat-interval} (and those
 * whose cancel was asked for meanwhile are stopped); RUNNING runs whose owner stopped heart-beating for
 * {@code stale-after} are recovered (INTERRUPTED, then QUEUED per {@code retries:}).
 */
@ApplicationScoped
public class Liveness {

    private static final Logger LOG = Logger.getLogger(Liveness.class);

    @Inject
    SchedulerConfig config;

    @Inject
    RunService runService;

    @Inject
    HeldRuns held;

    private long lastHeartbeat;

    /** Marks the runs held here alive when a heartbeat is due; stops those whose cancel was asked for. */
    synchronized void heartbeat() {
        long now = System.currentTimeMillis();
        if (!held.isEmpty() && now - lastHeartbeat >= config.heartbeatInterval().toMillis()) {
            lastHeartbeat = now;
            runService
                    .heartbeat(held.owner(), held.ids())
                    .forEach((id, why) -> held.cancel(id, CancellationToken.Reason.CANCELLED, why));
        }
    }

    /** Recovers the runs of owners that stopped heart-beating. */
    void recover() {
        int recovered = runService.recoverStale(config.staleAfter());
        if (recovered > 0) {
            LOG.infof("recovered %d run(s) left RUNNING by a stopped process", recovered);
        }
    }
}
