package dev.replica.backend.executor.process;

import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for the Replica JVM in {@link CommandSessionsTest}: starts {@code sh SCRIPT PIDFILE} through
 * {@link CommandSessions} exactly as the process executor does, says so, and waits to be killed.
 */
public final class SessionOwnerMain {

    private SessionOwnerMain() {}

    public static void main(String[] args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", args[0], args[1]))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .directory(Path.of(args[1]).getParent().toFile());
        CommandSession session = CommandSessions.shared().start(pb);
        System.out.println("started " + session.process().pid());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
