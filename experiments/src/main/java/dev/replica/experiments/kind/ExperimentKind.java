package dev.replica.experiments.kind;

/**
 * A built-in experiment kind (optimizer-sweep, rlvr, mone): trains and evaluates in-process on the
 * kernel backends. Implementations are discovered with {@link java.util.ServiceLoader} and must be
 * deterministic: same parameters, seed and backend give bit-identical metric streams.
 */
public interface ExperimentKind {

    /** The kind's name, matching its {@link KindSchema} in {@link KindRegistry}. */
    String name();

    /**
     * Executes one run to completion.
     *
     * @throws RunCancelledException when {@link RunContext#cancelled()} became true
     * @throws Exception             any other failure fails the run with its message
     */
    void run(RunContext context) throws Exception;
}
