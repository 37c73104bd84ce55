package dev.replica.backend.run;

import dev.replica.backend.experiment.Experiment;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One execution unit of an experiment: a sweep point with one seed. */
@Entity
@Table(name = "run")
public class Run extends PanacheEntityBase {

    // one id per insert (V52): ids stay dense when a CLI and a server share the database
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "run_seq")
    @SequenceGenerator(name = "run_seq", sequenceName = "run_seq", allocationSize = 1)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "experiment_id")
    public Experiment experiment;

    @Column(name = "run_index", nullable = false)
    public int runIndex;

    @Column(nullable = false)
    public long seed;

    @Column(name = "config_key", nullable = false, length = 4000)
    public String configKey;

    @Column(name = "params_json", nullable = false, length = 65536)
    public String paramsJson;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "run_param", joinColumns = @JoinColumn(name = "run_id"))
    public List<RunParam> params = new ArrayList<>();

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public RunState state;

    @Column(nullable = false)
    public int priority;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "max_retries", nullable = false)
    public int maxRetries;

    @Column(length = 32)
    public String executor;

    @Column(name = "exit_code")
    public Integer exitCode;

    @Column(length = 4000)
    public String message;

    /** For a PRUNED run: the resource of the rung it was stopped at (e.g. the step); null otherwise. */
    @Column(name = "pruned_at_resource")
    public Long prunedAtResource;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "queued_at")
    public Instant queuedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** Scheduler process running it (host, pid, boot id); null unless RUNNING. */
    @Column(length = 200)
    public String owner;

    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;

    /** A retry waiting out its back-off: no scheduler claims the run before this time; null when it may start. */
    @Column(name = "not_before")
    public Instant notBefore;

    /** A Slurm array task: the array's job id while the run is RUNNING (recovery adopts a live array). */
    @Column(name = "slurm_job_id", length = 32)
    public String slurmJobId;

    /** A Slurm array task: the job's folder (task map, logs); set with {@link #slurmJobId}. */
    @Column(name = "slurm_job_dir", length = 1000)
    public String slurmJobDir;

    /** Set when a cancel is asked while another process runs it; that process stops the run. */
    @Column(name = "cancel_requested", nullable = false)
    public boolean cancelRequested;

    /** SHA-256 of the manifest's recipe part; equal hashes are repeats of one recipe. */
    @Column(name = "recipe_hash", length = 64)
    public String recipeHash;

    /** The manifest as canonical JSON, written when the run starts. */
    @Column(name = "manifest_json", length = 1048576)
    public String manifestJson;

    @Version
    @Column(nullable = false)
    public long version;

    /** A new run, QUEUED, with its creation recorded as the first event. */
    public static Run queued(
            Experiment experiment,
            int index,
            long seed,
            String configKey,
            String paramsJson,
            List<RunParam> params,
            int maxRetries,
            Instant now) {
        Run run = new Run();
        run.experiment = experiment;
        run.runIndex = index;
        run.seed = seed;
        run.configKey = configKey;
        run.paramsJson = paramsJson;
        run.params = new ArrayList<>(params);
        run.state = RunState.QUEUED;
        run.maxRetries = maxRetries;
        run.createdAt = now;
        run.queuedAt = now;
        return run;
    }

    /**
     * The one place a run changes state: checks the transition, stamps the times and returns the
     * event to store.
     *
     * @throws IllegalTransitionException when the life cycle does not allow it
     */
    public RunEvent transitionTo(RunState target, String why, Instant now) {
        if (!state.canTransitionTo(target)) {
            throw new IllegalTransitionException(id == null ? -1 : id, state, target);
        }
        RunState from = state;
        state = target;
        message = why;
        switch (target) {
            case QUEUED -> {
                queuedAt = now;
                notBefore = null;
                slurmJobId = null; // a retry goes out in an array of its own
                slurmJobDir = null;
                startedAt = null;
                finishedAt = null;
                exitCode = null;
                attempt++;
            }
            case RUNNING -> {
                startedAt = now;
                heartbeatAt = now;
                cancelRequested = false;
            }
            default -> {
                finishedAt = now;
                owner = null;
                cancelRequested = false;
            }
        }
        return new RunEvent(this, from, target, why, now);
    }

    /** Creation event: no previous state. */
    public RunEvent creationEvent() {
        return new RunEvent(this, null, RunState.QUEUED, "planned", createdAt);
    }
}
