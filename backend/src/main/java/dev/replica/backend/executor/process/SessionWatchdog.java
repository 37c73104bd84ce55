package dev.replica.backend.executor.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A separate, tiny JVM that outlives its owner by a moment: it reads {@code +SID} / {@code -SID} lines from
 * a pipe whose only writer is the owner (the Replica JVM), and when that pipe reaches end of file — the owner
 * exited, normally or by SIGKILL, since the kernel closes a dead process's descriptors — it stops every
 * session still registered (SIGTERM, then SIGKILL) and exits.
 *
 * <p>Java has no way to ask for the kernel's parent-death signal, and that signal would reach only the
 * direct child, not its descendants; a pipe's EOF is the one notice of death that works after SIGKILL.
 * Uses {@link ProcSessions} and JDK classes only, so it runs from the two copied class files.
 */
public final class SessionWatchdog {

    static final long GRACE_MS = 2000;

    private SessionWatchdog() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Set<Long> sessions = new LinkedHashSet<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.length() < 2) {
                    continue;
                }
                long sid = Long.parseLong(line.substring(1).trim());
                if (line.charAt(0) == '+') {
                    sessions.add(sid);
                } else {
                    sessions.remove(sid);
                }
            }
        }
        // The owner is gone: TERM every session at once, then KILL what is left.
        for (long sid : sessions) {
            ProcSessions.signal(sid, false);
        }
        long deadline = System.currentTimeMillis() + GRACE_MS;
        for (long sid : sessions) {
            ProcSessions.awaitEmpty(sid, Math.max(0, deadline - System.currentTimeMillis()));
            ProcSessions.signal(sid, true);
        }
    }
}
