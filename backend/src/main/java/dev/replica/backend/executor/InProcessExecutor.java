package dev.replica.backend.executor;

import dev.replica.experiments.kind.ExperimentKind;
import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.kind.RunCancelledException;
import dev.replica.experiments.kind.RunContext;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackends;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Built-in kinds, run in this JVM on the kernel backend the spec asks for ({@code backend:}), else the
 * configured one; each setting is resolved once, and the choice and any fallback are written to the run's log
 * and its {@code backend.txt}.
 */
@ApplicationScoped
public class InProcessExecutor implements RunExecutor {

    private static final Logger LOG = Logger.getLogger(InProcessExecutor.class);

    private volatile KernelBackends.Selection selection;
    private final Map<String, KernelBackends.Selection> bySpec = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public String name() {
        return "in-process";
    }

    @Override
    public boolean supports(String kind) {
        return KindRegistry.implementation(kind).isPresent();
    }

    @Override
    public Map<String, ?> backendDescription() {
        return kernels().backend().deviceDescription().toManifest();
    }

    KernelBackends.Selection kernels() {
        if (selection == null) {
            synchronized (this) {
                if (selection == null) {
                    selection = KernelBackends.selectConfigured();
                    selection.notes().forEach(LOG::info);
                }
            }
        }
        return selection;
    }

    /** The backend for a spec's {@code backend:} setting (null: the configured one), resolved once per setting. */
    KernelBackends.Selection kernels(String requested) {
        if (requested == null) {
            return kernels();
        }
        return bySpec.computeIfAbsent(requested, r -> {
            KernelBackends.Selection s = KernelBackends.select(r);
            s.notes().forEach(LOG::info);
            return s;
        });
    }

    @Override
    public Map<String, ?> backendDescription(dev.replica.experiments.spec.ExperimentSpec spec) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(
                kernels(spec.backend()).backend().deviceDescription().toManifest());
        m.put("requested", spec.backend() == null ? KernelBackends.configuredSetting() : spec.backend());
        return m;
    }

    @Override
    public Outcome execute(RunLaunch launch, MetricSink metrics, CancellationToken token, ProgressListener progress)
            throws Exception {
        ExperimentKind kind = KindRegistry.implementation(launch.spec().kind())
                .orElseThrow(() -> new IllegalStateException(
                        "no in-process implementation of kind " + launch.spec().kind()));
        KernelBackends.Selection kernels = kernels(launch.spec().backend());
        Path log = launch.runDir().resolve("run.log");
        Files.writeString(launch.runDir().resolve("backend.txt"), kernels.summary() + "\n");
        Context context = new Context(launch, metrics, kernels.backend(), token, progress, log);
        long self = ProcessHandle.current().pid();
        progress.processes(launch.runId(), () -> java.util.List.of(self)); // shared with other runs in this JVM
        kernels.notes().forEach(context::log);
        try {
            kind.run(context);
        } catch (RunCancelledException e) {
            return token.isCancelled() ? token.outcome() : Outcome.cancelled(e.getMessage());
        } catch (Exception | Error e) {
            if (token.isCancelled()) {
                return token.outcome();
            }
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            context.log(trace.toString());
            return Outcome.failed(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            metrics.flush();
        }
        return token.isCancelled()
                ? token.outcome()
                : Outcome.succeeded("completed on " + kernels.backend().name());
    }

    /** The executor's side of {@link RunContext}. */
    private record Context(
            RunLaunch launch,
            MetricSink metrics,
            KernelBackend kernels,
            CancellationToken token,
            ProgressListener listener,
            Path logFile)
            implements RunContext {

        @Override
        public String runId() {
            return launch.metricKey();
        }

        @Override
        public Map<String, Object> params() {
            return launch.params();
        }

        @Override
        public long seed() {
            return launch.seed();
        }

        @Override
        public Path runDir() {
            return launch.runDir();
        }

        @Override
        public boolean cancelled() {
            return token.isCancelled();
        }

        @Override
        public void progress(long done, long total) {
            listener.progress(launch.runId(), done, total);
        }

        @Override
        public void log(String line) {
            try {
                Files.writeString(
                        logFile,
                        line + "\n",
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                LOG.warnf("run %d: cannot write its log: %s", launch.runId(), e.getMessage());
            }
        }
    }
}
