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

    private static boolean hasHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }
}
