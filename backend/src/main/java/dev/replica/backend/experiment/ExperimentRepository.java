package dev.replica.backend.experiment;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class ExperimentRepository implements PanacheRepositoryBase<Experiment, Long> {

    public Optional<Experiment> findExperiment(long id) {
        return findByIdOptional(id);
    }
}
