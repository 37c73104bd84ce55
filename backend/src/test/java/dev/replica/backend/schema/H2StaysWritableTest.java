package dev.replica.backend.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh H2 home must stay writable after the connection that ran the migrations is gone, as when the pool
 * retires it for idleness while other connections keep the database open. H2 2.4.240 evaluates
 * {@code CHECK (col IN (…))} against the session that created it, so inserts then fail with "The database has
 * been closed"; V20 rewrites those constraints. The test first shows the failure on the schema before V20 (so
 * it can tell when H2 fixes it and the workaround may go), then that the current schema accepts good rows and
 * still rejects bad ones.
 */
class H2StaysWritableTest {

    @TempDir
    Path dir;

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("replica") + ";AUTO_SERVER=TRUE";
    }

    private void migrate(String target) {
        var config = Flyway.configure().dataSource(url(), "sa", "").locations("classpath:db/migration");
        (target == null ? config : config.target(target)).load().migrate();
    }

    private static void insertRun(Statement s, long id, String state) throws SQLException {
        s.executeUpdate("INSERT INTO run (id, experiment_id, run_index, seed, config_key, params_json, state,"
                + " priority, attempt, max_retries, created_at, version) VALUES (" + id + ", 1, " + id
                + ", 7, 'k', '{}', '" + state + "', 0, 0, 0, CURRENT_TIMESTAMP, 0)");
    }

    @Test
    void acceptsRunsParamsAndTokensAfterTheMigrationConnectionIsClosed() throws SQLException {
        // the pool's other connections: they keep the database open while Flyway's own connection closes
        try (Connection keeper = DriverManager.getConnection(url(), "sa", "")) {
            migrate("3");
            try (Connection c = DriverManager.getConnection(url(), "sa", "");
                    Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO experiment (id, name, description, kind, spec_file, spec_text,"
                        + " spec_json, run_count, created_at) VALUES (1, 'e', '', 'command', 'spec.yaml', '', '{}',"
                        + " 1, CURRENT_TIMESTAMP)");
                assertThatThrownBy(() -> insertRun(s, 1, "QUEUED"))
                        .as("H2 without the CHECK IN regression: V20's workaround is no longer needed")
                        .hasMessageContaining("RUN_STATE_CK")
                        .rootCause()
                        .hasMessageContaining("The database has been closed");
            }

            migrate(null);
            try (Connection c = DriverManager.getConnection(url(), "sa", "");
                    Statement s = c.createStatement()) {
                insertRun(s, 1, "QUEUED");
                s.executeUpdate("INSERT INTO run_param (run_id, name, value_type, value_text, value_num)"
                        + " VALUES (1, 'lr', 'FLOAT', '0.1', 0.1)");
                s.executeUpdate("INSERT INTO api_token (id, name, token_hash, scope, created_at)"
                        + " VALUES (1, 'ci', 'h', 'WRITE', CURRENT_TIMESTAMP)");
                s.executeUpdate("UPDATE run SET state = 'RUNNING' WHERE id = 1");
                assertThatThrownBy(() -> insertRun(s, 2, "PAUSED")).hasMessageContaining("RUN_STATE_CK");
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO run_param (run_id, name, value_type,"
                                + " value_text) VALUES (1, 'x', 'DATE', '2026')"))
                        .hasMessageContaining("RUN_PARAM_TYPE_CK");
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO api_token (id, name, token_hash, scope,"
                                + " created_at) VALUES (2, 'x', 'g', 'ADMIN', CURRENT_TIMESTAMP)"))
                        .hasMessageContaining("API_TOKEN_SCOPE_CK");
                try (var rs = s.executeQuery("SELECT state FROM run WHERE id = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("RUNNING");
                }
            }
            assertThat(keeper.isValid(1)).isTrue();
        }
    }
}
