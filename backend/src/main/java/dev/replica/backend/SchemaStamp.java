package dev.replica.backend;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Whether the database schema is exactly what this build's migrations produce, read from Flyway's own
 * history table: every migration packaged here is applied successfully, and nothing else is. Read-only
 * commands then skip Flyway's migrate/validate and Hibernate's schema validation at start-up (docs/adr/0009);
 * on any doubt (no history table, a failed or unknown migration, a missing one) they run both as before.
 * The stamp is the database's own state, so it stays right with several clients and servers sharing one
 * PostgreSQL database or H2 file.
 */
final class SchemaStamp {

    // SQL migrations and compiled Java ones (db/migration/V52__make_ids_dense.class, its inner classes too)
    private static final Pattern VERSIONED = Pattern.compile("(?:.*/)?V([0-9][0-9._]*)__[^/]*\\.(?:sql|class)");

    private SchemaStamp() {}

    /** The versions of the migrations packaged with this build (as Flyway writes them: dots, no leading zeros). */
    static Set<String> packagedVersions() {
        try {
            Path source = Path.of(SchemaStamp.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Set<String> versions = new TreeSet<>();
            if (Files.isDirectory(source)) {
                Path dir = source.resolve("db").resolve("migration");
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        files.forEach(f -> version(f.getFileName().toString()).ifPresent(versions::add));
                    }
                }
            } else {
                try (JarFile jar = new JarFile(source.toFile())) {
                    jar.stream()
                            .filter(e -> e.getName().startsWith("db/migration/"))
                            .forEach(e -> version(e.getName()).ifPresent(versions::add));
                }
            }
            return versions;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Set.of(); // unknown: never current, so Flyway runs
        }
    }

    static java.util.Optional<String> version(String fileName) {
        Matcher m = VERSIONED.matcher(fileName);
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        StringBuilder normal = new StringBuilder();
        for (String part : m.group(1).replace('_', '.').split("\\.")) {
            if (normal.length() > 0) {
                normal.append('.');
            }
            normal.append(new java.math.BigInteger(part));
        }
        return java.util.Optional.of(normal.toString());
    }

    /**
     * True when the history in {@code c}'s database lists exactly {@code packaged}, all successful. Any error
     * reading it (no table yet, no permission) answers false.
     */
    static boolean current(Connection c, Set<String> packaged) {
        if (packaged.isEmpty()) {
            return false;
        }
        Set<String> applied = new TreeSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "select \"version\", \"success\" from \"flyway_schema_history\" where \"version\" is not null")) {
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false;
                }
                applied.add(version("V" + rs.getString(1) + "__.sql").orElse(rs.getString(1)));
            }
        } catch (SQLException | RuntimeException e) {
            return false;
        }
        return applied.equals(packaged);
    }
}
