package dev.replica.experiments.kinds;

import dev.replica.experiments.kind.RunContext;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.kernels.KernelBackend;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/** A plain {@link RunContext} for running a kind in this process, as tests do. */
public record LocalRunContext(
        String runId,
        Map<String, Object> params,
        long seed,
        MetricSink metrics,
        KernelBackend kernels,
        Path runDir,
        Consumer<String> logger)
        implements RunContext {

    @Override
    public boolean cancelled() {
        return Thread.currentThread().isInterrupted();
    }

    @Override
    public void progress(long done, long total) {}

    @Override
    public void log(String line) {
        logger.accept(line);
    }
}
