package dev.replica.backend.experiment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Something that happened to an experiment as a whole, e.g. a run deleted (whose own history went with it). */
@Entity
@Table(name = "experiment_event")
public class ExperimentEvent extends PanacheEntityBase {

    /** Kinds of event. */
    public static final String RUN_DELETED = "run-deleted";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "experiment_id", nullable = false)
    public long experimentId;

    @Column(nullable = false, length = 32)
    public String kind;

    /** The run it concerns, if any; kept as a plain number since the run may be gone. */
    @Column(name = "run_id")
    public Long runId;

    @Column(nullable = false, length = 4000)
    public String message;

    @Column(nullable = false)
    public Instant at;

    public static ExperimentEvent of(long experimentId, String kind, Long runId, String message, Instant at) {
        ExperimentEvent e = new ExperimentEvent();
        e.experimentId = experimentId;
        e.kind = kind;
        e.runId = runId;
        e.message = message;
        e.at = at;
        return e;
    }

    /** As the API shows it. */
    public record View(long id, String kind, Long runId, String message, Instant at) {}

    public View view() {
        return new View(id, kind, runId, message, at);
    }
}
