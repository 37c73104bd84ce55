package dev.replica.experiments.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Versions of Replica's own artifacts, and of the few libraries that touch its numbers or files, as
 * found on the class path.
 *
 * <p>The version comes from the {@code META-INF/maven/<group>/<artifact>/pom.properties} that Maven
 * writes into every jar. An artifact whose classes are loaded from a classes directory (an IDE, a
 * reactor build, tests) has no such file and is recorded as {@value #UNPACKAGED}; an artifact not on
 * the class path is left out. Nothing is guessed from file names.
 */
public final class DependencyVersions {
    /** Recorded for a Replica module loaded from a classes directory rather than a jar. */
    public static final String UNPACKAGED = "unpackaged";

    /** Coordinate to a class of that artifact (null: recorded only when its jar says so). */
    private static final Map<String, String> ARTIFACTS = new LinkedHashMap<>();

    static {
        ARTIFACTS.put("dev.replica:replica-kernels", "dev.replica.kernels.KernelBackend");
        ARTIFACTS.put("dev.replica:replica-experiments", "dev.replica.experiments.manifest.RunManifest");
        ARTIFACTS.put("dev.replica:replica-kernels-opencl", "dev.replica.kernels.opencl.OpenClBackend");
        ARTIFACTS.put("dev.replica:replica-kernels-tornado", "dev.replica.kernels.tornado.TornadoRuntimeInfo");
        ARTIFACTS.put("dev.replica:replica-tornado-api-jvm", "dev.replica.tornado.apijvm.ApiJvm");
        ARTIFACTS.put("dev.replica:replica-backend", "dev.replica.backend.ReplicaMain");
        ARTIFACTS.put("org.jocl:jocl", null);
        ARTIFACTS.put("org.apache.arrow:arrow-vector", null);
        ARTIFACTS.put("org.apache.arrow:arrow-format", null);
        ARTIFACTS.put("com.fasterxml.jackson.core:jackson-databind", null);
        ARTIFACTS.put("org.yaml:snakeyaml", null);
    }

    private DependencyVersions() {}

    /** {@code "group:artifact" -> version} for what this class's loader sees, sorted. */
    public static Map<String, String> detect() {
        return detect(DependencyVersions.class.getClassLoader());
    }

    /** {@code "group:artifact" -> version} for what {@code loader} sees, sorted. */
    public static Map<String, String> detect(ClassLoader loader) {
        Map<String, String> out = new TreeMap<>();
        ARTIFACTS.forEach((coordinate, marker) -> {
            String version = pomVersion(loader, coordinate);
            if (version == null && marker != null && loadedFromDirectory(loader, marker)) {
                version = UNPACKAGED;
            }
            if (version != null) {
                out.put(coordinate, version);
            }
        });
        return out;
    }

    /**
     * The version of Replica itself: that of its experiments jar, else {@code "unknown"} (a
     * development build; the backend passes its own application version instead).
     */
    public static String replicaVersion() {
        String v = pomVersion(DependencyVersions.class.getClassLoader(), "dev.replica:replica-experiments");
        return v == null ? "unknown" : v;
    }

    private static String pomVersion(ClassLoader loader, String coordinate) {
        String[] ga = coordinate.split(":");
        String resource = "META-INF/maven/" + ga[0] + "/" + ga[1] + "/pom.properties";
        URL url = loader == null ? ClassLoader.getSystemResource(resource) : loader.getResource(resource);
        if (url == null) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        } catch (IOException e) {
            return null;
        }
        return p.getProperty("version");
    }

    private static boolean loadedFromDirectory(ClassLoader loader, String className) {
        try {
            Class<?> c = Class.forName(className, false, loader);
            CodeSource source = c.getProtectionDomain().getCodeSource();
            return source != null
                    && source.getLocation() != null
                    && source.getLocation().getPath().endsWith("/");
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            return false;
        }
    }
}
