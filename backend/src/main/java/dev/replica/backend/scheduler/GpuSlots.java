package dev.replica.backend.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which of a machine's GPUs are taken: a run asking for {@code n} GPUs gets the {@code n} lowest free
 * device indices (what its {@code CUDA_VISIBLE_DEVICES} becomes) or waits. Thread-safe.
 */
public final class GpuSlots {

    private final boolean[] taken;

    public GpuSlots(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("GPU count must be zero or more, got " + count);
        }
        this.taken = new boolean[count];
    }

    /** How many GPUs the machine has. */
    public int total() {
        return taken.length;
    }

    /** Takes {@code n} free slots, lowest indices first; empty when fewer are free (nothing is taken then). */
    public synchronized Optional<List<Integer>> acquire(int n) {
        if (n <= 0) {
            return Optional.of(List.of());
        }
        List<Integer> slots = new ArrayList<>(n);
        for (int i = 0; i < taken.length && slots.size() < n; i++) {
            if (!taken[i]) {
                slots.add(i);
            }
        }
        if (slots.size() < n) {
            return Optional.empty();
        }
        slots.forEach(i -> taken[i] = true);
        return Optional.of(List.copyOf(slots));
    }

    /** Gives slots back. */
    public synchronized void release(List<Integer> slots) {
        for (int i : slots) {
            if (i < 0 || i >= taken.length || !taken[i]) {
                throw new IllegalStateException("GPU slot " + i + " is not taken");
            }
            taken[i] = false;
        }
    }

    /** Slots free now. */
    public synchronized int free() {
        int free = 0;
        for (boolean t : taken) {
            free += t ? 0 : 1;
        }
        return free;
    }
}
