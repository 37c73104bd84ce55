package dev.replica.experiments.manifest;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Chooses the environment variables a manifest records: those that change what a run computes or
 * where, from an allow-list, and never one whose name suggests a secret.
 *
 * <p>Allowed: the names in {@link #ALLOWED} and any name starting with a prefix in
 * {@link #ALLOWED_PREFIXES}. Then dropped, whatever the allow-list says: any name containing
 * {@code TOKEN}, {@code KEY}, {@code SECRET}, {@code PASSWORD}, {@code PASSWD} or {@code CREDENTIAL}
 * (case-insensitive), so {@code REPLICA_API_TOKEN} or {@code REPLICA_S3_SECRET_KEY} never reach a
 * manifest.
 */
public final class EnvironmentFilter {
    /** Variables recorded by exact name. */
    public static final Set<String> ALLOWED = Set.of(
            "CUDA_VISIBLE_DEVICES",
            "CUDA_DEVICE_ORDER",
            "CUBLAS_WORKSPACE_CONFIG",
            "NVIDIA_VISIBLE_DEVICES",
            "HIP_VISIBLE_DEVICES",
            "ROCR_VISIBLE_DEVICES",
            "OMP_NUM_THREADS",
            "MKL_NUM_THREADS",
            "OPENBLAS_NUM_THREADS",
            "PYTHONHASHSEED",
            "TORNADOVM_HOME",
            "JAVA_HOME",
            "SLURM_JOB_ID",
            "SLURM_ARRAY_TASK_ID",
            "SLURM_JOB_PARTITION");

    /** Variables recorded by prefix. */
    public static final Set<String> ALLOWED_PREFIXES = Set.of("REPLICA_");

    private static final Pattern SECRET =
            Pattern.compile("TOKEN|KEY|SECRET|PASSWORD|PASSWD|CREDENTIAL", Pattern.CASE_INSENSITIVE);

    private EnvironmentFilter() {}

    /** Whether {@code name} may be recorded. */
    public static boolean allows(String name) {
        if (SECRET.matcher(name).find()) {
            return false;
        }
        if (ALLOWED.contains(name)) {
            return true;
        }
        for (String prefix : ALLOWED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The recordable subset of {@code environment}, sorted by name. */
    public static Map<String, String> filter(Map<String, String> environment) {
        Map<String, String> out = new TreeMap<>();
        environment.forEach((k, v) -> {
            if (k != null && v != null && allows(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
