package dev.replica.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds the kernel backends on the class path (via {@link ServiceLoader} over {@link KernelBackendProvider})
 * and chooses one from the setting {@code replica.kernels.backend = auto | jvm | opencl | tornadovm | reference}.
 *
 * <ul>
 *   <li>{@code auto}: TornadoVM on a GPU or accelerator, else OpenCL on a GPU, else the JVM backend (a CPU OpenCL
 *       device such as PoCL is not an accelerator, through TornadoVM or OpenCL).</li>
 *   <li>A named backend that is missing or unavailable falls back to the JVM backend. A TornadoVM
 *       backend without the real runtime runs its kernels on the JVM emulation.</li>
 *   <li>Every fallback is reported: in {@link Selection#notes()} (for the run log and manifest) and through
 *       {@link System.Logger} (WARNING when a named backend could not be honoured, INFO for {@code auto}).</li>
 * </ul>
 */
public final class KernelBackends {

    /** System property naming the backend. */
    public static final String PROPERTY = "replica.kernels.backend";
    /** Environment variable consulted when the system property is absent. */
    public static final String ENV = "REPLICA_KERNELS_BACKEND";
    /** The accepted settings. */
    public static final List<String> SETTINGS = List.of("auto", "jvm", "opencl", "tornadovm", "reference");

    private static final System.Logger LOG = System.getLogger(KernelBackends.class.getName());
    /** Preference order of {@code auto} among accelerated backends. */
    private static final List<String> AUTO_ORDER = List.of("tornadovm", "opencl");

    private KernelBackends() {}

    /**
     * The outcome of a selection.
     *
     * @param backend   the backend to use (close it when done)
     * @param requested the setting as given (lower-cased)
     * @param notes     why the backend differs from what was asked for, or caveats; empty when it is exactly
     *                  what was asked for
     */
    public record Selection(KernelBackend backend, String requested, List<String> notes) {
        public Selection {
            notes = List.copyOf(notes);
        }

        /** True when a named backend was replaced by another one. */
        public boolean fellBack() {
            return !requested.equals("auto") && !requested.equals(backend.name());
        }

        /** One line for logs: {@code replica.kernels.backend=auto -> jvm on JVM (...) [notes]}. */
        public String summary() {
            String s = PROPERTY + "=" + requested + " -> " + backend.deviceDescription();
            return notes.isEmpty() ? s : s + " [" + String.join("; ", notes) + "]";
        }
    }

    /** The providers found by {@link ServiceLoader}, plus the built-in reference backend. */
    public static List<KernelBackendProvider> providers() {
        List<KernelBackendProvider> out = new ArrayList<>();
        for (KernelBackendProvider p :
                ServiceLoader.load(KernelBackendProvider.class, KernelBackends.class.getClassLoader())) {
            out.add(p);
        }
        return out;
    }

    /** The setting from the system property {@value #PROPERTY}, else the environment {@value #ENV}, else {@code auto}. */
    public static String configuredSetting() {
        String s = System.getProperty(PROPERTY);
        if (s == null || s.isBlank()) {
            s = System.getenv(ENV);
        }
        return s == null || s.isBlank() ? "auto" : s.trim();
    }

    /** Selects the backend named by {@link #configuredSetting()}. */
    public static Selection selectConfigured() {
        return select(configuredSetting());
    }

    /**
     * Selects a backend.
     *
     * @param setting {@code auto}, {@code jvm}, {@code opencl}, {@code tornadovm} or {@code reference} (case-insensitive)
     * @throws IllegalArgumentException for any other setting; the message lists the accepted ones
     */
    public static Selection select(String setting) {
        return select(setting, providers());
    }

    /** As {@link #select(String)}, over an explicit provider list (for tests and embedding). */
    public static Selection select(String setting, List<KernelBackendProvider> providers) {
        String req = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        if (!SETTINGS.contains(req)) {
            throw new IllegalArgumentException(
                    "Unknown " + PROPERTY + " '" + setting + "'; expected one of " + SETTINGS);
        }
        List<String> notes = new ArrayList<>();
        if (req.equals("auto")) {
            for (String name : AUTO_ORDER) {
                Optional<KernelBackendProvider> p = find(providers, name);
                if (p.isEmpty()) {
                    notes.add(name + ": not on the class path");
                    continue;
                }
                BackendProbe probe = safeProbe(p.get());
                if (probe.available() && probe.accelerated()) {
                    Optional<KernelBackend> b = tryCreate(p.get(), notes);
                    if (b.isPresent()) {
                        return done(new Selection(b.get(), req, notes), false);
                    }
                } else {
                    notes.add(name + ": "
                            + (probe.available() ? "no accelerator (" + probe.message() + ")" : probe.message()));
                }
            }
            notes.add("using the JVM backend");
            return done(new Selection(jvmOrReference(providers, notes), req, notes), false);
        }
        Optional<KernelBackendProvider> p = find(providers, req);
        if (p.isEmpty()) {
            notes.add(req + " backend is not on the class path (add its module, e.g. replica-kernels-" + req
                    + "); falling back");
            return done(new Selection(jvmOrReference(providers, notes), req, notes), true);
        }
        BackendProbe probe = safeProbe(p.get());
        if (!probe.available()) {
            notes.add(req + " backend unavailable: " + probe.message() + "; falling back");
            return done(new Selection(jvmOrReference(providers, notes), req, notes), true);
        }
        if (!probe.accelerated() && !req.equals("jvm") && !req.equals("reference")) {
            notes.add(req + ": " + probe.message());
        }
        Optional<KernelBackend> b = tryCreate(p.get(), notes);
        if (b.isPresent()) {
            return done(new Selection(b.get(), req, notes), !notes.isEmpty());
        }
        return done(new Selection(jvmOrReference(providers, notes), req, notes), true);
    }

    /** What each provider found on this machine, in class-path order. */
    public static List<BackendProbe> probes() {
        List<BackendProbe> out = new ArrayList<>();
        for (KernelBackendProvider p : providers()) {
            out.add(safeProbe(p));
        }
        return out;
    }

    /** Every device any available backend can reach: the list {@code replica devices} prints. */
    public static List<KernelDevice> devices() {
        List<KernelDevice> out = new ArrayList<>();
        for (BackendProbe probe : probes()) {
            if (probe.available()) {
                out.addAll(probe.devices());
            }
        }
        return out;
    }

    private static Optional<KernelBackendProvider> find(List<KernelBackendProvider> providers, String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static BackendProbe safeProbe(KernelBackendProvider p) {
        try {
            return p.probe();
        } catch (RuntimeException | LinkageError e) {
            return BackendProbe.unavailable(p.name(), "probe failed: " + e);
        }
    }

    private static Optional<KernelBackend> tryCreate(KernelBackendProvider p, List<String> notes) {
        try {
            return Optional.of(p.create());
        } catch (RuntimeException | LinkageError e) {
            notes.add(p.name() + ": failed to start: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static KernelBackend jvmOrReference(List<KernelBackendProvider> providers, List<String> notes) {
        Optional<KernelBackendProvider> jvm = find(providers, "jvm");
        if (jvm.isPresent()) {
            BackendProbe probe = safeProbe(jvm.get());
            if (probe.available()) {
                Optional<KernelBackend> b = tryCreate(jvm.get(), notes);
                if (b.isPresent()) {
                    return b.get();
                }
            } else {
                notes.add("jvm: " + probe.message() + "; using the plain reference kernels (slow)");
            }
        }
        return new dev.replica.kernels.ops.ReferenceKernels();
    }

    private static Selection done(Selection s, boolean warn) {
        if (!s.notes().isEmpty()) {
            LOG.log(warn ? System.Logger.Level.WARNING : System.Logger.Level.INFO, s.summary());
        }
        return s;
    }
}
