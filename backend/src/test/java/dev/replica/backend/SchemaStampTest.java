package dev.replica.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema stamp read-only commands trust instead of running Flyway: current only when nothing differs. */
class SchemaStampTest {

    @TempDir
    Path dir;

    @Test
    void readsMigrationVersionsAsFlywayWritesThem() {
        assertThat(SchemaStamp.version("db/migration/V21__create_scheduler_lease.sql"))
                .hasValue("21");
        assertThat(SchemaStamp.version("V1_2__x.sql")).hasValue("1.2");
        assertThat(SchemaStamp.version("V007__x.sql")).hasValue("7");
        assertThat(SchemaStamp.version("R__view.sql")).isEmpty();
        assertThat(SchemaStamp.version("db/migration/V52__make_ids_dense.class"))
                .hasValue("52");
        // a Java migration counts like a SQL one, or every read-only command would run Flyway again
        assertThat(SchemaStamp.packagedVersions()).contains("1", "2", "21", "52");
    }

    @Test
    void currentOnlyWhenEveryPackagedMigrationIsAppliedAndNothingElse() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db/replica");
        Set<String> packaged = SchemaStamp.packagedVersions();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertThat(SchemaStamp.current(c, packaged))
                    .as("no history table yet")
                    .isFalse();

            Flyway.configure().dataSource(url, "sa", "").load().migrate();
            assertThat(SchemaStamp.current(c, packaged)).isTrue();

            Set<String> older = new TreeSet<>(packaged);
            older.remove(older.stream()
                    .max(java.util.Comparator.comparingDouble(Double::parseDouble))
                    .orElseThrow());
            assertThat(SchemaStamp.current(c, older))
                    .as("the database is ahead of this build")
                    .isFalse();

            Set<String> newer = new TreeSet<>(packaged);
            newer.add("999");
            assertThat(SchemaStamp.current(c, newer))
                    .as("this build has a migration to apply")
                    .isFalse();
            assertThat(SchemaStamp.current(c, Set.of()))
                    .as("migrations unknown")
                    .isFalse();

            try (Statement s = c.createStatement()) {
                s.execute("update \"flyway_schema_history\" set \"success\" = false where \"version\" = '1'");
            }
            assertThat(SchemaStamp.current(c, packaged))
                    .as("a failed migration")
                    .isFalse();
        }
    }
}
