package dev.replica.backend.profiles;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Readies the database {@link PostgresProfile} points at before Quarkus boots: creates it when the server is
 * reachable but the database is missing (what {@code .ci/run} does by hand), and skips the test class with the
 * reason when the server cannot be reached. With {@code CI=true} an unreachable server fails the class instead.
 */
public final class RequirePostgres implements ExecutionCondition {

    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(\\?.*)?");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The outcome of the first check in this JVM: null when the database is ready, else why not. */
    private static String problem;

    private static boolean checked;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String why = check();
        if (why == null) {
            return ConditionEvaluationResult.enabled("PostgreSQL database ready at " + PostgresProfile.url());
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(why);
        }
        System.out.println("Skipping " + context.getDisplayName() + ": " + why);
        return ConditionEvaluationResult.disabled(why);
    }

    private static synchronized String check() {
        if (!checked) {
            problem = prepare(PostgresProfile.url(), PostgresProfile.user(), PostgresProfile.password());
            checked = true;
        }
        return problem;
    }

    /** Null when {@code url} can be opened (after creating its database if it was missing), else the reason. */
    static String prepare(String url, String user, String password) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        try (Connection ignored = DriverManager.getConnection(url, props)) {
            return null;
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) { // anything but "database does not exist"
                return "PostgreSQL is not reachable at " + url + " (" + e.getMessage() + "); start it (.ci/run does)"
                        + " or point REPLICA_TEST_PG_URL / REPLICA_TEST_PG_USER / REPLICA_TEST_PG_PASSWORD at one";
            }
        }
        Matcher m = URL.matcher(url);
        if (!m.matches() || !PLAIN_NAME.matcher(m.group(2)).matches()) {
            return "database in " + url + " does not exist and its name is not one this test creates by itself";
        }
        String maintenance = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = DriverManager.getConnection(maintenance, props);
                Statement s = c.createStatement()) {
            s.execute("create database " + m.group(2));
            System.out.println("Created the PostgreSQL test database " + m.group(2));
            return null;
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) { // created meanwhile by another JVM
                return null;
            }
            return "cannot create the test database " + m.group(2) + " through " + maintenance + ": " + e.getMessage();
        }
    }
}
