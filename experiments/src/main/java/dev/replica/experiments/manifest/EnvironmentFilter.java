package dev.replica.experiments.manifest;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Chooses the environment variables a manifest records, and scrubs credentials out of their values: manifests are
 * shared, bundled and exported, so no secret may reach one.
 *
 * <p>Allowed: the names in {@link #ALLOWED} and any name starting with a prefix in
 * {@link #ALLOWED_PREFIXES}. Then dropped, whatever the allow-list says: any name containing
 * {@code TOKEN}, {@code KEY}, {@code SECRET}, {@code PASSWORD}, {@code PASSWD}, {@code PWD} or {@code CREDENTIAL}
 * (case-insensitive), so {@code REPLICA_API_TOKEN} or {@code REPLICA_S3_SECRET_KEY} never reach a
 * manifest. What is kept goes through {@link #scrub}: {@code REPLICA_DB_URL} and {@code REPLICA_JAVA_OPTS} are
 * recorded, but not the password in {@code jdbc:postgresql://u:pw@h/db?password=pw} nor in
 * {@code -Djavax.net.ssl.keyStorePassword=pw}.
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

    /** What a recorded value shows in place of a credential. */
    public static final String REDACTED = "***";

    private static final String SECRET_WORD = "TOKEN|KEY|SECRET|PASSWORD|PASSWD|PWD|CREDENTIAL";

    private static final Pattern SECRET = Pattern.compile(SECRET_WORD, Pattern.CASE_INSENSITIVE);

    /** The password of a URL's user information: {@code scheme://user:password@host}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/@:\\s]*:)[^@\\s]*(@)");

    /**
     * A setting named like a secret, inside a value: {@code ?password=…}, {@code ;password=…} (JDBC URLs),
     * {@code -Dx.keyStorePassword=…}, {@code --token=…}, {@code api_key: …}. The value runs to the next separator,
     * or is quoted.
     */
    private static final Pattern NAMED_SECRET = Pattern.compile(
            "([\\w.-]*(?:" + SECRET_WORD + ")[\\w.-]*\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s&;,]+)",
            Pattern.CASE_INSENSITIVE);

    /** Tokens recognisable by their shape wherever they stand: Replica's, GitHub's, AWS keys, Slack's, JWTs. */
    private static final Pattern TOKEN_SHAPE =
            Pattern.compile("\\b(?:rp[ls]_[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
                    + "|(?:AKIA|ASIA)[A-Z0-9]{16}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,}"
                    + "|eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*)");

    /** A credential after an HTTP authorization scheme: {@code Bearer …}, {@code Basic …}. */
    private static final Pattern AUTH_SCHEME =
            Pattern.compile("\\b((?:bearer|basic|token)\\s+)[A-Za-z0-9._~+/=-]{8,}", Pattern.CASE_INSENSITIVE);

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

    /** The recordable subset of {@code environment}, sorted by name, each value {@linkplain #scrub scrubbed}. */
    public static Map<String, String> filter(Map<String, String> environment) {
        Map<String, String> out = new TreeMap<>();
        environment.forEach((k, v) -> {
            if (k != null && v != null && allows(k)) {
                out.put(k, scrub(v));
            }
        });
        return out;
    }

    /**
     * {@code value} with every credential in it replaced by {@value #REDACTED}: URL passwords, settings named like
     * a secret and tokens recognisable by their shape.
     */
    public static String scrub(String value) {
        String s = URL_PASSWORD.matcher(value).replaceAll("$1" + REDACTED + "$2");
        s = NAMED_SECRET.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + REDACTED));
        s = AUTH_SCHEME.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + REDACTED));
        return TOKEN_SHAPE.matcher(s).replaceAll(REDACTED);
    }
}
