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

/** What a user says about a run: its display name, note, tags and whether it is archived (ADR 0011). */
@Entity
@Table(name = "run_label")
public class RunLabel extends LabelRow {

    @Id
    @Column(name = "run_id")
    public Long runId;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "run_tag", joinColumns = @JoinColumn(name = "run_id"))
    @Column(name = "tag", length = 64, nullable = false)
    public Set<String> tags = new TreeSet<>();

    @Override
    public Set<String> tags() {
        return tags;
    }
}
