package dev.replica.backend;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Opens the database once before Quarkus starts, retrying while it cannot, so that a slow first open (H2
 * recovering its file after a SIGKILL on a loaded machine) happens without the pool's acquisition timeout
 * interrupting it, and a database that stays unreachable ends the command with one line instead of a
 * Flyway stack trace.
 */
final class DatabaseGate {

    /** The database could not be opened within the wait; the message is the one line a user reads. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private DatabaseGate() {}

    /**
     * The JDBC URL the application will use, resolved as {@code application.properties} does: the
     * {@code quarkus.datasource.jdbc.url} property, {@code REPLICA_DB_URL}, or the H2 file under the home.
     */
    static String url() {
        return url(System.getProperties(), System.getenv());
    }

    static String url(java.util.Properties properties, java.util.Map<String, String> env) {
        String url = properties.getProperty("quarkus.datasource.jdbc.url", env.get("REPLICA_DB_URL"));
        if (url != null && !url.isBlank()) {
            return url;
        }
        String home = properties.getProperty("replica.home", env.get("REPLICA_HOME"));
        Path root = home == null || home.isBlank()
                ? Path.of(properties.getProperty("user.home"), ".replica")
                : Path.of(home);
        return "jdbc:h2:file:" + root.resolve("db").resolve("replica") + ";AUTO_SERVER=TRUE";
    }

    /**
     * Opens and closes one connection, retrying (0.25 s, doubling up to 4 s) until {@code wait} has passed. A
     * URL whose driver is not on the class path is left to the application to report.
     *
     * @throws Unavailable when every attempt failed
     */
    static void await(String url, String user, String password, Duration wait) throws Unavailable {
        await(url, user, password, wait, c -> {});
    }

    /** What to do with the first connection that opens, before it is closed. */
    interface OnOpen {
        void accept(Connection c);
    }

    /** As {@link #await(String, String, String, Duration)}, handing the open connection to {@code onOpen}. */
    static void await(String url, String user, String password, Duration wait, OnOpen onOpen) throws Unavailable {
        long deadline = System.nanoTime() + wait.toNanos();
        long pauseMs = 250;
        for (int attempt = 1; ; attempt++) {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                onOpen.accept(c);
                return;
            } catch (SQLException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
                    return;
                }
                if (System.nanoTime() + pauseMs * 1_000_000 > deadline) {
                    throw new Unavailable("cannot open the database " + redact(url) + " (" + attempt + " attempt"
                            + (attempt == 1 ? "" : "s") + " in " + wait.toSeconds() + " s): " + firstLine(e));
                }
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted while opening the database " + redact(url));
            }
            pauseMs = Math.min(4_000, pauseMs * 2);
        }
    }

    /** The innermost cause's first line: what went wrong, without the driver's wrapping. */
    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.lines().findFirst().orElse(m).strip();
    }

    /** A URL without its query or options part, which may carry a password. */
    private static String redact(String url) {
        int cut = url.indexOf('?');
        return cut < 0 ? url : url.substring(0, cut);
    }
}
