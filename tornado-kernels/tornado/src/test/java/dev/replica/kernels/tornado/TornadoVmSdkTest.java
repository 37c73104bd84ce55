package dev.replica.kernels.tornado;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs in the normal (JDK 17, api-jvm) test execution and says whether the kernels were also tested through
 * TornadoVM's own JIT. The {@code tornadovm-sdk} Maven profile (active when {@code TORNADOVM_HOME} is set) passes
 * the SDK and its JDK here and runs the {@code tornadovm-sdk}-tagged tests in a second, forked execution on that
 * JDK with TornadoVM's launcher arguments. Without an SDK this test is skipped with the reason, and fails when
 * {@code CI=true} (CI builds the SDK in .ci/deps/tornadovm.sh).
 */
class TornadoVmSdkTest {

    @Test
    void theKernelsAreAlsoTestedThroughTheRealTornadoVm() throws IOException {
        String home = System.getProperty("replica.tornadovm.home", "");
        if (home.isBlank()) {
            String reason = "no TornadoVM SDK (TORNADOVM_HOME is unset): the kernel parity suite did not run through"
                    + " TornadoVM's JIT; build the SDK with `eval \"$(../shared/tornadovm/build-sdk.sh)\"` and set"
                    + " TORNADOVM_HOME and TORNADOVM_JAVA_HOME (docs/kernels.md)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + " (CI=true: .ci/deps/tornadovm.sh builds it)");
            }
            Assumptions.abort(reason);
        }
        Path sdk = Path.of(home);
        assertTrue(
                Files.isRegularFile(sdk.resolve("tornado-argfile")),
                "TORNADOVM_HOME=" + sdk + " has no tornado-argfile");
        try (Stream<Path> jars = Files.list(sdk.resolve("share/java/tornado"))) {
            assertTrue(
                    jars.anyMatch(p -> p.getFileName().toString().startsWith("tornado-api-")),
                    "TORNADOVM_HOME=" + sdk + " has no share/java/tornado/tornado-api-*.jar");
        }
        Path javaHome = Path.of(System.getProperty("replica.tornadovm.java.home", ""));
        int feature = javaFeatureVersion(javaHome);
        assertTrue(
                feature >= 25,
                "TornadoVM 5.2.0-jdk25 needs a JDK 25; TORNADOVM_JAVA_HOME (else the JDK running Maven) is " + javaHome
                        + " (Java " + feature + ")");
        System.out.printf(
                "TornadoVM SDK %s on Java %d at %s: the tornadovm-sdk execution runs the parity suite through it%n",
                sdk, feature, javaHome);
    }

    /** The feature version from the JDK's {@code release} file ({@code JAVA_VERSION="25.0.1"}); 0 if unknown. */
    static int javaFeatureVersion(Path javaHome) throws IOException {
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(javaHome.resolve("bin/java"))) {
            return 0;
        }
        for (String line : Files.readAllLines(release)) {
            if (line.startsWith("JAVA_VERSION=")) {
                String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                String major = v.startsWith("1.") ? v.substring(2) : v;
                return Integer.parseInt(major.split("[.+-]")[0]);
            }
        }
        return 0;
    }
}
