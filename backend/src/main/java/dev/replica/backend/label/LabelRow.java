package dev.replica.backend.label;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import java.util.Set;

/** The columns a run's and an experiment's labels share; each subclass keeps its own tag table. */
@MappedSuperclass
public abstract class LabelRow extends PanacheEntityBase {

    @Column(name = "display_name", length = 200)
    public String displayName;

    @Column(length = 65536)
    public String note;

    @Column(nullable = false)
    public boolean archived;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The tags, sorted; changes are stored with the row. */
    public abstract Set<String> tags();

    /** As the API shows them. */
    public LabelView view() {
        return new LabelView(displayName, note, java.util.List.copyOf(tags()), archived);
    }
}
