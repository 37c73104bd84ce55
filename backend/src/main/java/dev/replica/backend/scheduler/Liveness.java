package dev.replica.backend.scheduler;

import dev.replica.backend.executor.CancellationToken;
import dev.replica.backend.run.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Heartbeats and recovery. The runs held here are marked alive every {@code heartbeat-interval}; those whose
 * cancel was asked for meanwhile are stopped, and a local run that is no longer RUNNING under this process
 * (another process recovered it while this one stalled) is stopped too, so it never runs twice. While the
 * scheduler ticks, whichever process holds the {@link RecoveryLease} checks every run's heartbeat at each poll
 * (one indexed query): RUNNING runs whose owner stopped heart-beating for {@code stale-after} are recovered
 * (INTERRUPTED, then QUEUED per {@code retries:}; CANCELLED when their cancel was requested), except Slurm array
 * tasks whose array still runs: those are adopted ({@link SlurmArrays#adoptLive}).
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

    @Inject
    RecoveryLease lease;

    @Inject
    SlurmArrays arrays;

    private long lastHeartbeat;
    private long lastCheck;

    /** Marks the runs held here alive when a heartbeat is due; stops those cancelled or taken from it. */
    synchronized void heartbeat() {
        long now = System.currentTimeMillis();
        if (held.isEmpty() || now - lastHeartbeat < config.heartbeatInterval().toMillis()) {
            return;
        }
        lastHeartbeat = now;
        Set<Long> ids = held.ids();
        runService
                .heartbeat(held.owner(), ids)
                .forEach((id, why) -> held.cancel(id, CancellationToken.Reason.CANCELLED, why));
        Set<Long> still = runService.stillHeld(held.owner(), ids);
        for (long id : ids) {
            // array tasks are taken over by their workers: only a local run must still be ours
            if (!still.contains(id) && held.isLocal(id)) {
                LOG.warnf("run %d is no longer held by this process (recovered elsewhere); stopping it here", id);
                held.cancel(id, CancellationToken.Reason.SHUTDOWN, "no longer held by " + held.owner());
            }
        }
    }

    /** One scheduler tick: heartbeat, and when due and this process holds the lease, recovery. */
    void tick() {
        heartbeat();
        long now = System.currentTimeMillis();
        if (now - lastCheck < config.pollInterval().toMillis()) {
            return;
        }
        lastCheck = now;
        if (lease.hold(held.owner(), config.heartbeatInterval())) {
            recover(true);
        }
    }

    /**
     * Recovers the runs of owners that stopped heart-beating (at start, and by the lease holder). Slurm array
     * tasks whose array still lives are never re-queued: with {@code adopt} (a process that keeps ticking) this
     * process adopts their array, otherwise they wait for one that does.
     */
    void recover(boolean adopt) {
        Set<Long> spared = arrays.adoptLive(staleAfter(), adopt);
        int recovered = runService.recoverStale(staleAfter(), spared);
        if (recovered > 0) {
            LOG.infof("recovered %d run(s) left RUNNING by a stopped process", recovered);
        }
    }

    /** {@code stale-after}, or twice the heartbeat interval when unset. */
    Duration staleAfter() {
        return config.staleAfter().orElse(config.heartbeatInterval().multipliedBy(2));
    }

    /** Gives the lease up at shutdown. */
    void close() {
        try {
            lease.release(held.owner());
        } catch (RuntimeException e) {
            LOG.debugf(e, "recovery lease not released");
        }
    }
}
