package dev.replica.backend.executor.process;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A started command and, where {@link CommandSessions#isolated()}, the session it leads. {@link #stop} and
 * {@link #close} act on the whole session; without one, on the process and its descendants.
 */
public final class CommandSession {

    private final CommandSessions owner;
    private final Process process;
    private final Long sid;

    CommandSession(CommandSessions owner, Process process, Long sid) {
        this.owner = owner;
        this.process = process;
        this.sid = sid;
    }

    public Process process() {
        return process;
    }

    /** The live processes of the command: its session's members, or the process and its descendants. */
    public List<Long> pids() {
        if (sid != null) {
            return ProcSessions.members(sid);
        }
        List<Long> out = new java.util.ArrayList<>();
        if (process.isAlive()) {
            out.add(process.pid());
        }
        process.descendants().forEach(p -> out.add(p.pid()));
        return out;
    }

    /** TERM every process of the command, then KILL what is left after {@code graceMillis}. */
    public void stop(long graceMillis) throws InterruptedException {
        if (sid != null) {
            ProcSessions.stop(sid, graceMillis);
            if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
            process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
            return;
        }
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Ends the command for good: whatever it left running in its session (a forgotten {@code cmd &}) is
     * stopped, since a run that ended must leave nothing behind, and the watchdog forgets it.
     */
    public void close() throws InterruptedException {
        if (sid == null) {
            return;
        }
        if (!ProcSessions.members(sid).isEmpty()) {
            ProcSessions.stop(sid, 1000);
        }
        owner.unregister(sid);
    }
}
