package dev.replica.backend.executor.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processes of one Linux session, read from {@code /proc}, and signals to all of them.
 *
 * <p>A command started through {@code setsid} leads a session whose id is its pid; every process it forks
 * stays in that session (even after its parent has died and it was handed to init) unless it calls
 * {@code setsid} itself. So "every process of session S" is the whole tree of a run, which
 * {@code Process.descendants()} is not once a middle process has exited.
 *
 * <p>Self-contained on purpose (JDK classes only, no nested classes): {@link SessionWatchdog} copies this
 * class file next to itself and runs in a separate JVM.
 */
public final class ProcSessions {

    private static final Path PROC = Path.of("/proc");

    private ProcSessions() {}

    /** Whether sessions can be listed here (Linux). */
    public static boolean supported() {
        return Files.isReadable(PROC.resolve("self").resolve("stat"));
    }

    /** The pids of the live (not zombie) processes in session {@code sid}. */
    public static List<Long> members(long sid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat = stat(entry);
                if (stat != null && sessionOf(stat) == sid && !zombie(stat)) {
                    out.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            // /proc vanished under us: nothing to list
        }
        return out;
    }

    /** The session id of {@code pid}, if that process exists. */
    public static Optional<Long> sessionOf(long pid) {
        String stat = stat(PROC.resolve(Long.toString(pid)));
        return stat == null ? Optional.empty() : Optional.of(sessionOf(stat));
    }

    /**
     * Stops every process of session {@code sid}: SIGTERM, then SIGKILL to what is left after
     * {@code graceMillis}. Returns once none is left, or after a further {@code graceMillis}.
     */
    public static void stop(long sid, long graceMillis) throws InterruptedException {
        signal(sid, false);
        if (!awaitEmpty(sid, graceMillis)) {
            signal(sid, true);
            awaitEmpty(sid, graceMillis);
        }
    }

    /** Sends SIGTERM ({@code force = false}) or SIGKILL to every live process of session {@code sid}. */
    public static void signal(long sid, boolean force) {
        long self = ProcessHandle.current().pid();
        for (long pid : members(sid)) {
            if (pid == self) {
                continue;
            }
            ProcessHandle.of(pid).ifPresent(p -> {
                if (force) {
                    p.destroyForcibly();
                } else {
                    p.destroy();
                }
            });
        }
    }

    /** Waits until session {@code sid} has no live process; false when some remain after {@code millis}. */
    public static boolean awaitEmpty(long sid, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!members(sid).isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(25);
        }
        return true;
    }

    /** Whether {@code pid} is running: present in /proc and not a zombie waiting to be reaped. */
    public static boolean alive(long pid) {
        String stat = stat(PROC.resolve(Long.toString(pid)));
        return stat != null && !zombie(stat);
    }

    private static String stat(Path procEntry) {
        try {
            return new String(Files.readAllBytes(procEntry.resolve("stat")), StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            return null; // the process ended while we looked
        }
    }

    // "pid (comm) state ppid pgrp session …": comm may hold spaces and parentheses, so count from the last ')'.
    private static long sessionOf(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }

    private static boolean zombie(String stat) {
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        return state == 'Z' || state == 'X';
    }
}
