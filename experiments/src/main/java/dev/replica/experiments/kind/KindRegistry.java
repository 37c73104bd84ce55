package dev.replica.experiments.kind;

import static dev.replica.experiments.kind.ParamSpec.flag;
import static dev.replica.experiments.kind.ParamSpec.integer;
import static dev.replica.experiments.kind.ParamSpec.number;
import static dev.replica.experiments.kind.ParamSpec.oneOf;
import static dev.replica.experiments.kind.ParamSpec.text;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The one registry of experiment kinds, keyed by the name specs write: each kind's parameter schema
 * ({@link #find}), and for the built-in kinds the in-process implementation ({@link #implementation}),
 * discovered with {@link ServiceLoader} from {@code dev.replica.experiments.kinds}. {@code command} has a
 * schema and no implementation: an external program runs it. The schemas are the contract between specs
 * and trainers: {@code docs/spec-reference.md} is checked against them by a test, and a kind whose
 * implementation has no schema is refused when the implementations are loaded. Methods and defaults
 * follow {@code SEEDS.md}.
 */
public final class KindRegistry {

    public static final String COMMAND = "command";

    private static final Map<String, KindSchema> KINDS = new LinkedHashMap<>();

    static {
        register(new KindSchema(
                "optimizer-sweep",
                "AdamW / Muon / NorMuon / SGD-momentum on a teacher-student stream, a Fashion-MNIST MLP or a char-level transformer",
                List.of(
                        oneOf(
                                "task",
                                "teacher-stream",
                                List.of("teacher-stream", "fashion-mnist-mlp", "char-transformer"),
                                "training task"),
                        oneOf(
                                "optimizer",
                                "adamw",
                                List.of("sgd", "adamw", "muon", "normuon"),
                                "optimizer for hidden 2-D weights (others always use AdamW)"),
                        number(
                                "lr",
                                null,
                                0.0,
                                10.0,
                                "base learning rate; default per optimizer (AdamW 3e-4, Muon/NorMuon 0.02, SGD 0.05)"),
                        number("lr_scale", 1.0, 0.0, 1000.0, "multiplier on the base learning rate, for lr sweeps"),
                        integer("steps", 500, 1, 10_000_000, "optimizer steps"),
                        integer("batch", 128, 1, 65_536, "examples (or sequences) per step"),
                        oneOf(
                                "schedule",
                                "constant",
                                List.of("constant", "warmup", "warmdown", "cosine"),
                                "learning-rate schedule"),
                        integer("warmup_steps", 0, 0, 10_000_000, "linear warmup steps"),
                        number(
                                "warmdown_fraction",
                                0.2,
                                0.0,
                                1.0,
                                "fraction of steps decayed linearly to zero (schedule: warmdown)"),
                        number("weight_decay", 0.0, 0.0, 10.0, "decoupled weight decay"),
                        number("momentum", 0.95, 0.0, 1.0, "Muon/NorMuon/SGD momentum β"),
                        number("beta2", 0.95, 0.0, 1.0, "second-moment decay (AdamW β2, NorMuon β2)"),
                        oneOf(
                                "muon_scale",
                                "spectral",
                                List.of("spectral", "rms"),
                                "Muon update scale: sqrt(max(1,m/n)) or 0.2·sqrt(max(m,n))"),
                        integer("eval_every", 50, 1, 10_000_000, "steps between evaluations"),
                        text("data_dir", "/usr/share/datasets/fashion-mnist", "Fashion-MNIST IDX directory"),
                        text("text_file", "", "corpus for char-transformer (empty: built-in sample)"),
                        integer("context", 64, 2, 4096, "char-transformer context length"),
                        integer("width", 128, 4, 8192, "hidden width of the student / model"),
                        integer("layers", 2, 1, 64, "transformer layers")),
                false,
                false));
        register(new KindSchema(
                "rlvr",
                "GRPO with verifiable rewards on multi-digit addition: 1-shot or full-set, entropy and KL ablations",
                List.of(
                        oneOf(
                                "mode",
                                "one-shot",
                                List.of("one-shot", "full-set", "svs", "sws"),
                                "one selected example, the whole pool, the pool with SvS or with SwS problem synthesis"),
                        integer("digits", 3, 1, 12, "digits per operand"),
                        integer("pretrain_steps", 300, 0, 1_000_000, "supervised base-model steps on flawed data"),
                        number("flaw_rate", 0.4, 0.0, 1.0, "fraction of flawed pretraining targets"),
                        integer("steps", 200, 1, 1_000_000, "GRPO steps"),
                        integer("group_size", 8, 2, 1024, "rollouts per prompt (G)"),
                        integer("copies", 16, 1, 4096, "copies of the example per batch in one-shot mode"),
                        number(
                                "lr",
                                1e-4,
                                0.0,
                                10.0,
                                "AdamW learning rate of the GRPO stage (1e-3 collapses the toy policy)"),
                        number("weight_decay", 0.01, 0.0, 10.0, "AdamW weight decay"),
                        number("temperature", 0.6, 0.01, 10.0, "sampling temperature"),
                        number("clip", 0.2, 0.0, 1.0, "PPO ratio clip ε"),
                        number("pg_coeff", 1.0, 0.0, 100.0, "policy-gradient coefficient (0: entropy-only ablation)"),
                        number("ent_coeff", 0.001, -10.0, 10.0, "entropy coefficient (positive raises entropy)"),
                        number("kl_coeff", 0.001, 0.0, 10.0, "k3 KL coefficient to the frozen reference"),
                        integer("pool_size", 64, 1, 100_000, "training pool for example selection / full-set mode"),
                        oneOf(
                                "select",
                                "max-std",
                                List.of("max-std", "min-std", "random"),
                                "1-shot example: largest (paper) or smallest std of its accuracy history, or random"),
                        oneOf(
                                "select_history",
                                // pretraining stays the default: runs stored before grpo existed carry no
                                // select_history, and `replica reproduce` must rerun them as they ran
                                "pretraining",
                                List.of("grpo", "pretraining"),
                                "accuracy history from GRPO epochs over the pool (paper) or pretraining snapshots"),
                        integer("select_epochs", 5, 1, 10_000, "GRPO epochs over the pool for select_history: grpo"),
                        integer(
                                "svs_problems",
                                2,
                                1,
                                4096,
                                "svs: middle-band problems per step whose solutions are synthesized into new problems"),
                        integer("sws_probe_epochs", 5, 2, 10_000, "sws: GRPO epochs over the pool before the analysis"),
                        integer("sws_budget", 32, 0, 100_000, "sws: new problems added to the training set"),
                        oneOf(
                                "sws_allocation",
                                "weakness",
                                List.of("weakness", "uniform"),
                                "sws: budget per carry-count category by failure rate, or equal (the control)"),
                        number(
                                "synth_pretrain_share",
                                0.0,
                                0.0,
                                1.0,
                                "share of pretraining sequences that teach writing a problem for an answer (SvS)"),
                        integer("eval_problems", 200, 1, 100_000, "held-out problems for pass@1 and pass@k"),
                        integer("pass_n", 16, 1, 1024, "samples per problem for unbiased pass@k"),
                        integer("eval_every", 20, 1, 1_000_000, "steps between evaluations"),
                        integer("width", 64, 4, 4096, "policy model width"),
                        integer("layers", 2, 1, 32, "policy transformer layers")),
                false,
                false));
        register(new KindSchema(
                "mone",
                "MoE vs Mixture of Neuron Experts vs half-width MoE at equal activated parameters; sparsification curve",
                List.of(
                        oneOf("variant", "mone", List.of("moe", "mone", "moe-half"), "layer variant"),
                        oneOf(
                                "study",
                                "train",
                                List.of("train", "sparsify"),
                                "train a variant, or prune a trained MoE"),
                        integer("experts", 4, 1, 256, "number of SwiGLU experts"),
                        integer("top_k", 2, 1, 256, "experts activated per token"),
                        integer("expert_dim", 128, 2, 65_536, "intermediate neurons per expert (d_e)"),
                        number(
                                "neuron_fraction",
                                0.5,
                                0.0,
                                1.0,
                                "MoNE: fraction of neurons kept per token (k = fraction·d_e)"),
                        number(
                                "prune_percent",
                                0.0,
                                0.0,
                                100.0,
                                "sparsify: prune the lowest x% of activated neurons by |gate|"),
                        integer("steps", 600, 1, 10_000_000, "optimizer steps"),
                        integer("batch", 128, 1, 65_536, "examples per step"),
                        number("lr", 1e-3, 0.0, 10.0, "AdamW learning rate"),
                        text("data_dir", "/usr/share/datasets/fashion-mnist", "Fashion-MNIST IDX directory"),
                        integer("eval_every", 50, 1, 10_000_000, "steps between evaluations"),
                        flag("log_neuron_stats", false, "log per-expert neuron activation statistics"),
                        number(
                                "balance_coeff",
                                0.0,
                                0.0,
                                100.0,
                                "load-balancing loss coefficient α (α·E·Σ f_e·P_e added to the objective; 0: off)")),
                false,
                false));
        register(new KindSchema(
                COMMAND,
                "any external program, run as an argv template (never through a shell); metrics from JSON lines on stdout",
                List.of(),
                true,
                true));
    }

    private KindRegistry() {}

    private static void register(KindSchema schema) {
        KINDS.put(schema.name(), schema);
    }

    public static Optional<KindSchema> find(String name) {
        return Optional.ofNullable(KINDS.get(name));
    }

    public static Collection<KindSchema> all() {
        return KINDS.values();
    }

    /**
     * The in-process implementation of kind {@code name}, a fresh instance; empty for {@code command} and unknown
     * names.
     */
    public static Optional<ExperimentKind> implementation(String name) {
        return Optional.ofNullable(implementations().get(name));
    }

    /**
     * Every in-process implementation by kind name, fresh instances.
     *
     * @throws IllegalStateException when an implementation on the class path names a kind without a schema
     */
    public static Map<String, ExperimentKind> implementations() {
        Map<String, ExperimentKind> kinds = new TreeMap<>();
        for (ExperimentKind k : ServiceLoader.load(ExperimentKind.class, KindRegistry.class.getClassLoader())) {
            if (!KINDS.containsKey(k.name())) {
                throw new IllegalStateException(
                        "kind implementation " + k.getClass().getName() + " names kind \"" + k.name()
                                + "\", which has no schema in KindRegistry");
            }
            kinds.put(k.name(), k);
        }
        return kinds;
    }
}
