package dev.replica.backend.label;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.util.Set;
import java.util.TreeSet;

/** What a user says about an experiment: its display name, note, tags and whether it is archived (ADR 0011). */
@Entity
@Table(name = "experiment_label")
public class ExperimentLabel extends LabelRow {

    @Id
    @Column(name = "experiment_id")
    public Long experimentId;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "experiment_tag", joinColumns = @JoinColumn(name = "experiment_id"))
    @Column(name = "tag", length = 64, nullable = false)
    public Set<String> tags = new TreeSet<>();

    @Override
    public Set<String> tags() {
        return tags;
    }
}
