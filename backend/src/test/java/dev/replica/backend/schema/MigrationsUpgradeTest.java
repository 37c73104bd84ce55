package dev.replica.backend.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home made by an earlier build opens with this one: migrations that landed later with a lower version than
 * the home's newest (V40…V52 after V60 here) are applied out of order, as application.properties configures,
 * instead of Flyway refusing to start with "Detected resolved migration not applied to database".
 */
class MigrationsUpgradeTest {

    /** The migrations of the build that first shipped V60 (stop 11): everything up to V30, then V60. */
    private static final List<String> EARLIER_BUILD =
            List.of("V1__", "V2__", "V3__", "V20__", "V21__", "V30__", "V60__");

    @TempDir
    Path dir;

    @Test
    void aHomeOfAnEarlierBuildGetsTheMigrationsItLacks() throws IOException, URISyntaxException, SQLException {
        Path all = Path.of(getClass().getResource("/db/migration").toURI());
        Path earlier = Files.createDirectories(dir.resolve("earlier"));
        try (Stream<Path> files = Files.list(all)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (EARLIER_BUILD.stream().anyMatch(name::startsWith)) {
                    Files.copy(f, earlier.resolve(name));
                }
            }
        }
        String url = "jdbc:h2:file:" + dir.resolve("replica") + ";DB_CLOSE_DELAY=-1";
        Flyway.configure()
                .dataSource(url, "sa", "")
                .locations("filesystem:" + earlier)
                .load()
                .migrate();

        Properties app = new Properties();
        try (var in = getClass().getResourceAsStream("/application.properties")) {
            app.load(in);
        }
        boolean outOfOrder = Boolean.parseBoolean(app.getProperty("quarkus.flyway.out-of-order", "false"));
        Flyway current = Flyway.configure()
                .dataSource(url, "sa", "")
                .locations("classpath:db/migration")
                .outOfOrder(outOfOrder)
                .load();
        current.migrate();

        assertThat(current.info().pending()).isEmpty();
        assertThat(Stream.of(current.info().applied())
                        .map(MigrationInfo::getVersion)
                        .map(String::valueOf))
                .contains("40", "50", "52", "60");
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                var rs = c.createStatement()
                        .executeQuery("select count(*) from information_schema.tables"
                                + " where lower(table_name) in ('run_label', 'experiment_event', 'search_proposal')")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }
}
