package dev.replica.backend.executor.slurm;

import java.util.Locale;

/**
 * One Slurm node as {@code sinfo --Node} reports it.
 *
 * @param name   the node's name ({@code NodeName=})
 * @param state  Slurm's state, with its flags: {@code idle}, {@code allocated*} (the {@code *}: slurmd does not
 *               respond), {@code down*}, {@code drained}…
 * @param since  when Slurm recorded the reason ({@code 2026-12-02T14:50:01}), or null when it gives none
 * @param reason why the node is down or drained ({@code Not responding}), or null
 */
public record SlurmNode(String name, String state, String since, String reason) {

    /** Whether tasks on this node, or waiting for it, cannot go on: slurmd silent, or the node down or drained. */
    public boolean troubled() {
        String s = state.toLowerCase(Locale.ROOT);
        String base = s.replaceAll("[^a-z_].*$", "");
        return s.endsWith("*")
                || base.startsWith("down")
                || base.startsWith("drain")
                || base.startsWith("fail")
                || base.equals("no_respond")
                || base.equals("unknown")
                || base.equals("unk");
    }

    /** "node n1 down since 2026-12-02T14:50:01 (Not responding)", for the run's message. */
    public String describe() {
        String base = state.endsWith("*") ? state.substring(0, state.length() - 1) : state;
        String what = state.endsWith("*") && !base.startsWith("down") ? base + ", slurmd not responding" : base;
        return "node " + name + " " + what + (since == null ? "" : " since " + since)
                + (reason == null ? "" : " (" + reason + ")");
    }
}
