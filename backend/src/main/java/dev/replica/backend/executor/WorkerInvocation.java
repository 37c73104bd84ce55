package dev.replica.backend.executor;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a Slurm task starts {@code replica}: {@code replica.slurm.worker-command} when set (e.g.
 * {@code /opt/replica/replica}, reachable at the same path on the workers), otherwise the very JVM and
 * application jar this process runs from, with the same JVM options.
 */
final class WorkerInvocation {

    private WorkerInvocation() {}

    static List<String> resolve(Optional<List<String>> configured) {
        if (configured.isPresent() && !configured.get().isEmpty()) {
            return List.copyOf(configured.get());
        }
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.isEmpty() || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            throw new IllegalStateException("cannot tell how Slurm tasks should start `replica worker` (this process"
                    + " does not run from the application jar): set replica.slurm.worker-command, e.g."
                    + " /opt/replica/replica");
        }
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib")
                    && !option.startsWith("-javaagent")
                    && !option.startsWith("-Xrunjdwp")) {
                argv.add(option);
            }
        }
        argv.add("-jar");
        argv.add(Path.of(classPath).toAbsolutePath().toString());
        return argv;
    }
}
