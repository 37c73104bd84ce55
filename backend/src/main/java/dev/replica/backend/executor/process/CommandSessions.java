package dev.replica.backend.executor.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Starts commands in sessions of their own and makes sure those sessions die with this JVM.
 *
 * <p>Each command runs as {@code setsid ARGV…} (util-linux, found by path; no shell), so it and everything it
 * forks share one session whose id is the command's pid: cancel, timeout and the end of the run stop the whole
 * session, grandchildren whose parent already exited included. Every session is registered with one
 * {@link SessionWatchdog} per JVM, which stops the sessions still registered when this JVM dies, SIGKILL
 * included. Where there is no {@code setsid} or no {@code /proc} (not Linux) commands run as plain children and
 * are stopped through {@code Process.descendants()}, which misses orphaned grandchildren.
 */
public final class CommandSessions {

    private static final Logger LOG = Logger.getLogger(CommandSessions.class);
    private static final CommandSessions SHARED = new CommandSessions(findSetsid());

    private final Optional<Path> setsid;
    private final Set<Long> registered = new LinkedHashSet<>();
    private Process watchdog;
    private OutputStream watchdogPipe;
    private boolean watchdogFailed;

    CommandSessions(Optional<Path> setsid) {
        this.setsid = setsid.filter(p -> ProcSessions.supported());
    }

    /** The JVM-wide instance (one watchdog per JVM). */
    public static CommandSessions shared() {
        return SHARED;
    }

    /** Whether commands get sessions of their own here (Linux with util-linux's {@code setsid}). */
    public boolean isolated() {
        return setsid.isPresent();
    }

    /**
     * Starts {@code builder}'s command in a new session, registered with the watchdog.
     *
     * @throws IOException when the program cannot be started (its message names the program)
     */
    public CommandSession start(ProcessBuilder builder) throws IOException {
        List<String> argv = builder.command();
        if (setsid.isEmpty()) {
            return new CommandSession(this, builder.start(), null);
        }
        requireExecutable(argv.get(0), builder);
        List<String> wrapped = new ArrayList<>();
        wrapped.add(setsid.get().toString());
        wrapped.addAll(argv);
        Process process;
        try {
            builder.command(wrapped);
            process = builder.start();
        } finally {
            builder.command(argv);
        }
        // The JVM's child is never a process-group leader, so setsid does not fork: the session id is its pid.
        long sid = process.pid();
        register(sid);
        return new CommandSession(this, process, sid);
    }

    synchronized void register(long sid) {
        registered.add(sid);
        send("+" + sid);
    }

    synchronized void unregister(long sid) {
        if (registered.remove(sid)) {
            send("-" + sid);
        }
    }

    private void send(String line) {
        if (watchdogFailed) {
            return;
        }
        try {
            if (watchdog == null || !watchdog.isAlive()) {
                startWatchdog(); // registers every live session again
                return;
            }
            watchdogPipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            watchdogPipe.flush();
        } catch (IOException e) {
            watchdogFailed = true;
            LOG.warnf(
                    "replica: cannot start the process watchdog (%s); commands of this process may outlive it if it is"
                            + " killed",
                    e.getMessage());
        }
    }

    private void startWatchdog() throws IOException {
        Path classes = watchdogClasses();
        List<String> argv = new ArrayList<>();
        setsid.ifPresent(s -> argv.add(s.toString())); // out of the terminal's process group: Ctrl-C is ours to handle
        argv.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx16m",
                "-Xss256k",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classes.toString(),
                SessionWatchdog.class.getName()));
        watchdog = new ProcessBuilder(argv)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        watchdogPipe = watchdog.getOutputStream();
        StringBuilder lines = new StringBuilder();
        registered.forEach(sid -> lines.append('+').append(sid).append('\n'));
        watchdogPipe.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
        watchdogPipe.flush();
    }

    /**
     * The watchdog's two class files, copied once to a folder named after their hash, so the watchdog runs from
     * any packaging of Replica (plain jar, Quarkus fast-jar, tests) with nothing but a JVM.
     */
    private static Path watchdogClasses() throws IOException {
        List<Class<?>> classes = List.of(SessionWatchdog.class, ProcSessions.class);
        List<byte[]> bytes = new ArrayList<>();
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Class<?> c : classes) {
            try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                if (in == null) {
                    throw new IOException("class file of " + c.getName() + " not found");
                }
                byte[] b = in.readAllBytes();
                bytes.add(b);
                sha.update(b);
            }
        }
        String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "replica-watchdog-" + hash);
        for (int i = 0; i < classes.size(); i++) {
            Path file = root.resolve(classes.get(i).getName().replace('.', '/') + ".class");
            if (!Files.isRegularFile(file) || Files.size(file) != bytes.get(i).length) {
                Files.createDirectories(file.getParent());
                Path tmp = Files.createTempFile(file.getParent(), "class", ".tmp");
                Files.write(tmp, bytes.get(i));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return root;
    }

    /**
     * Behind {@code setsid} a missing program would show as "exit code 127"; check it first so the run says
     * "cannot start NAME" as a plain start does.
     */
    private static void requireExecutable(String program, ProcessBuilder builder) throws IOException {
        if (program.contains("/")) {
            Path path = Path.of(program);
            if (!path.isAbsolute() && builder.directory() != null) {
                path = builder.directory().toPath().resolve(path);
            }
            if (!Files.isExecutable(path) || Files.isDirectory(path)) {
                throw new IOException("no executable file at " + path);
            }
            return;
        }
        if (onPath(program, builder.environment().get("PATH")).isEmpty()) {
            throw new IOException("not found on PATH");
        }
    }

    private static Optional<Path> onPath(String program, String pathVariable) {
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return onPath("setsid", System.getenv("PATH"));
    }
}
