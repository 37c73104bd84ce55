package dev.replica.backend.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.db.Tables;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.junit.jupiter.api.Test;

/**
 * The database the application booted against must match the schema the code was built for: Flyway's
 * applied migrations must be the ones on the class path (unchanged), and every table and column of the
 * jOOQ read model (generated from those migrations) must exist in the live database. Hibernate's
 * {@code validate} covers the write model at boot.
 *
 * <p>Those checks compare the migrations with a database the same migrations just built, so they cannot catch
 * a migration that changes the schema by mistake. {@link #liveSchemaIsTheReviewedOne} compares the live tables,
 * columns and nullability with {@code schema/expected-schema.txt}, a list kept by hand: a new migration updates
 * it in the same change, where a reviewer sees what the schema became.
 */
public abstract class SchemaDriftContract {

    private static final String HOW_TO_FIX = """

            How to fix: never edit a migration that has landed. Add a new one,
            backend/src/main/resources/db/migration/V{n+1}__{verb}_{object}.sql, then rebuild
            (./mvnw -pl backend generate-sources regenerates the jOOQ classes from the migrations).
            For a local database that ran an edited migration, delete ~/.replica/db (H2) or
            drop and recreate the PostgreSQL database.""";

    @Inject
    Flyway flyway;

    @Inject
    DSLContext dsl;

    @Test
    void appliedMigrationsMatchTheOnesShipped() {
        var result = flyway.validateWithResult();
        assertThat(result.validationSuccessful)
                .as("Flyway validation failed: %s%s", result.getAllErrorMessages(), HOW_TO_FIX)
                .isTrue();
        assertThat(flyway.info().pending())
                .as("migrations not applied at boot" + HOW_TO_FIX)
                .isEmpty();
    }

    @Test
    void liveDatabaseHasEveryTableAndColumnOfTheReadModel() throws IllegalAccessException {
        List<String> missing = new ArrayList<>();
        var meta = dsl.meta();
        for (Table<?> expected : generatedTables()) {
            var live = meta.getTables(expected.getName()).stream()
                    .findFirst()
                    .or(() -> meta.getTables(expected.getName().toUpperCase(Locale.ROOT)).stream()
                            .findFirst());
            if (live.isEmpty()) {
                missing.add("table " + expected.getName());
                continue;
            }
            Set<String> liveColumns = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            for (var f : live.get().fields()) {
                liveColumns.add(f.getName());
            }
            for (var f : expected.fields()) {
                if (!liveColumns.contains(f.getName())) {
                    missing.add("column " + expected.getName() + "." + f.getName());
                }
            }
        }
        assertThat(missing)
                .as(
                        "schema drift between the migrations the code was built from and the live database: %s%s",
                        missing, HOW_TO_FIX)
                .isEmpty();
    }

    @Test
    void liveSchemaIsTheReviewedOne() throws java.io.IOException {
        List<String> live = new ArrayList<>();
        for (var table : dsl.meta().getTables()) {
            String schema = table.getSchema() == null ? "" : table.getSchema().getName();
            String name = table.getName().toLowerCase(Locale.ROOT);
            // Flyway's own table; on H2, Hibernate's global temporary tables (HTE_*) for bulk mutations
            if (!schema.equalsIgnoreCase("public") || name.equals("flyway_schema_history") || name.startsWith("hte_")) {
                continue;
            }
            for (var f : table.fields()) {
                live.add(name + "." + f.getName().toLowerCase(Locale.ROOT)
                        + (f.getDataType().nullable() ? "" : " not null"));
            }
        }
        live.sort(null);
        List<String> expected;
        try (var in = getClass().getResourceAsStream("/schema/expected-schema.txt")) {
            expected = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .sorted()
                    .toList();
        }
        List<String> unexpected = new ArrayList<>(live);
        unexpected.removeAll(expected);
        List<String> absent = new ArrayList<>(expected);
        absent.removeAll(live);
        assertThat(unexpected.isEmpty() && absent.isEmpty())
                .as(
                        "the migrated schema differs from backend/src/test/resources/schema/expected-schema.txt:"
                                + " in the database but not listed %s; listed but not in the database %s. If a new"
                                + " migration meant this, update the list in the same change.%s",
                        unexpected, absent, HOW_TO_FIX)
                .isTrue();
    }

    private static List<Table<?>> generatedTables() throws IllegalAccessException {
        List<Table<?>> tables = new ArrayList<>();
        for (Field f : Tables.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && Table.class.isAssignableFrom(f.getType())) {
                tables.add((Table<?>) f.get(null));
            }
        }
        assertThat(tables).as("generated jOOQ tables").hasSizeGreaterThanOrEqualTo(7);
        return tables;
    }
}
