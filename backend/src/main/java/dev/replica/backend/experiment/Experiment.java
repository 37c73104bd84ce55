package dev.replica.backend.experiment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** A stored experiment: the spec as written and as parsed. Its runs reference it. */
@Entity
@Table(name = "experiment")
public class Experiment extends PanacheEntityBase {

    // one id per insert (V52): ids stay dense when a CLI and a server share the database
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "experiment_seq")
    @SequenceGenerator(name = "experiment_seq", sequenceName = "experiment_seq", allocationSize = 1)
    public Long id;

    @Column(nullable = false, length = 100)
    public String name;

    @Column(nullable = false, length = 4000)
    public String description;

    @Column(nullable = false, length = 64)
    public String kind;

    @Column(name = "spec_file", nullable = false, length = 1024)
    public String specFile;

    @Column(name = "spec_text", nullable = false, length = 1048576)
    public String specText;

    @Column(name = "spec_json", nullable = false, length = 1048576)
    public String specJson;

    /** Absolute folder of the spec file, when it came from one; null for specs posted to the API. */
    @Column(name = "spec_dir", length = 4096)
    public String specDir;

    @Column(name = "primary_metric", length = 200)
    public String primaryMetric;

    @Column(name = "metric_goal", length = 8)
    public String metricGoal;

    @Column(name = "run_count", nullable = false)
    public int runCount;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
