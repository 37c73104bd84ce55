package dev.replica.backend;

/** Turns the few command-line options Quarkus needs at boot into system properties. */
final class LaunchOptions {

    private LaunchOptions() {}

    static void apply(String[] args) {
        String command = null;
        String host = null;
        String port = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String next = i + 1 < args.length ? args[i + 1] : null;
            if (a.equals("--home") && next != null) {
                System.setProperty("replica.home", next);
                i++;
            } else if (a.startsWith("--home=")) {
                System.setProperty("replica.home", a.substring(7));
            } else if (a.equals("--host") && next != null) {
                host = next;
                i++;
            } else if (a.startsWith("--host=")) {
                host = a.substring(7);
            } else if (a.equals("--port") && next != null) {
                port = next;
                i++;
            } else if (a.startsWith("--port=")) {
                port = a.substring(7);
            } else if (command == null && !a.startsWith("-")) {
                command = a;
            }
        }
        boolean serve = "serve".equals(command) && !hasHelp(args);
        System.setProperty("quarkus.http.host-enabled", Boolean.toString(serve));
        if (serve) {
            if (host != null) {
                System.setProperty("quarkus.http.host", host);
            }
            if (port != null) {
                System.setProperty("quarkus.http.port", port);
            }
            System.setProperty("quarkus.log.category.\"dev.replica\".level", "INFO");
            System.setProperty("replica.scheduler.enabled", "true");
            String h = host == null ? "127.0.0.1" : host;
            System.setProperty(
                    "replica.server.url",
                    "http://" + (h.equals("0.0.0.0") ? "127.0.0.1" : h) + ":" + (port == null ? "8080" : port));
        }
    }

    /**
     * Commands that only read: when the schema is current they skip Flyway and Hibernate's schema validation
     * at start-up (docs/adr/0009). {@code serve}, {@code run} and the rest keep migrating.
     */
    private static final java.util.Set<String> READ_ONLY =
            java.util.Set.of("ls", "show", "compare", "logs", "manifest", "diff", "export", "report", "devices");

    /** Whether the command in {@code args} is one of the read-only ones. */
    static boolean readOnly(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--home")) {
                i++;
            } else if (!a.startsWith("-")) {
                return READ_ONLY.contains(a);
            }
        }
        return false;
    }

    /**
     * The schema is known to be current: turn off Flyway's migrate (with its validate) and Hibernate's schema
     * validation for this start, unless the user set either explicitly.
     */
    static void skipSchemaChecks() {
        if (System.getProperty("quarkus.flyway.migrate-at-start") == null) {
            System.setProperty("quarkus.flyway.migrate-at-start", "false");
        }
        if (System.getProperty("quarkus.hibernate-orm.schema-management.strategy") == null) {
            System.setProperty("quarkus.hibernate-orm.schema-management.strategy", "none");
        }
    }

    private static boolean hasHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }
}
