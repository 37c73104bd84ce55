package dev.replica.backend.run;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<Run, Long> {

    public Optional<Run> findRun(long id) {
        return findByIdOptional(id);
    }

    /** The kind of the experiment a run belongs to. */
    public Optional<String> findExperimentKind(long runId) {
        return getEntityManager()
                .createQuery("select r.experiment.kind from Run r where r.id = :id", String.class)
                .setParameter("id", runId)
                .getResultStream()
                .findFirst();
    }

    public Optional<Run> findByExperimentAndIndex(long experimentId, int index) {
        return find("experiment.id = ?1 and runIndex = ?2", experimentId, index).firstResultOptional();
    }

    public List<RunEvent> findEvents(long runId) {
        return RunEvent.list("run.id = ?1 order by at, id", runId); // see RunQueries.details
    }
}
