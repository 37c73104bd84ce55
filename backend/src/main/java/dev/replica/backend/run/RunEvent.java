package dev.replica.backend.run;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
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
import java.time.Instant;

/** One state change of a run: its history, and what live clients are told. */
@Entity
@Table(name = "run_event")
public class RunEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "run_event_seq")
    @SequenceGenerator(name = "run_event_seq", sequenceName = "run_event_seq", allocationSize = 50)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "run_id")
    public Run run;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_state", length = 16)
    public RunState fromState;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_state", nullable = false, length = 16)
    public RunState toState;

    @Column(length = 4000)
    public String message;

    @Column(nullable = false)
    public Instant at;

    protected RunEvent() {}

    /** An event read from a bundle: history is kept as it was. */
    public static RunEvent imported(Run run, RunState from, RunState to, String message, Instant at) {
        return new RunEvent(run, from, to, message, at);
    }

    RunEvent(Run run, RunState from, RunState to, String message, Instant at) {
        this.run = run;
        this.fromState = from;
        this.toState = to;
        this.message = message;
        this.at = at;
    }
}
