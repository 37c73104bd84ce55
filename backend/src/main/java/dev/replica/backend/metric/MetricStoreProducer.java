package dev.replica.backend.metric;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.experiments.metrics.MetricStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** The Arrow metric store under {@code <home>/metrics}, one per application, closed on shutdown. */
@ApplicationScoped
public class MetricStoreProducer {

    private BufferAllocator allocator;

    @Produces
    @ApplicationScoped
    MetricStore store(ReplicaHome home) {
        allocator = new RootAllocator();
        return new MetricStore(home.metrics(), allocator);
    }

    void close(@Disposes MetricStore store) {
        store.close();
        allocator.close();
    }
}
