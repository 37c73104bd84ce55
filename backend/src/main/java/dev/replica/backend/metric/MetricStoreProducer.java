package dev.replica.backend.metric;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.experiments.metrics.MetricStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The Arrow metric store under {@code <home>/metrics}, one per application, closed on shutdown. */
@ApplicationScoped
public class MetricStoreProducer {

    private BufferAllocator allocator;

    /** Distinct metric names one run may log; past it an append is refused with a 400 naming this setting. */
    @ConfigProperty(name = "replica.metrics.max-names-per-run", defaultValue = "10000")
    int maxNamesPerRun;

    @Produces
    @ApplicationScoped
    MetricStore store(ReplicaHome home) {
        allocator = new RootAllocator();
        return new MetricStore(
                home.metrics(), allocator, MetricStore.Options.defaults().withMaxMetricNames(maxNamesPerRun));
    }

    void close(@Disposes MetricStore store) {
        store.close();
        allocator.close();
    }
}
