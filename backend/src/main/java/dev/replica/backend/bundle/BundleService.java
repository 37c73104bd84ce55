package dev.replica.backend.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.experiment.Experiment;
import dev.replica.backend.experiment.ExperimentRepository;
import dev.replica.backend.metric.MetricSummaryWriter;
import dev.replica.backend.run.Run;
import dev.replica.backend.run.RunEvent;
import dev.replica.backend.run.RunParam;
import dev.replica.backend.run.RunRepository;
import dev.replica.backend.run.RunState;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.spec.InvalidInputException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Portable bundles: a zip with {@code bundle.json} (experiments, runs with parameters, seeds, states,
 * histories and manifests), {@code metrics/<run>.arrows}, {@code artifacts/<run>/…}, {@code SHA256SUMS}
 * and a README. Import verifies every checksum first, refuses entries that would escape their folder, gives
 * the experiments and runs new ids (a map old → new is returned) and never overwrites an existing file.
 */
@ApplicationScoped
public class BundleService {

    static final String FORMAT = "replica-bundle/1";
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(SerializationFeature.INDENT_OUTPUT, true);

    @Inject
    ExperimentRepository experiments;

    @Inject
    RunRepository runs;

    @Inject
    MetricStore store;

    @Inject
    MetricSummaryWriter summaries;

    @Inject
    ReplicaHome home;

    @Inject
    dev.replica.backend.label.LabelQueries labelQueries;

    @Inject
    dev.replica.backend.label.LabelService labels;

    /** What an export or import touched. */
    public record Result(int experiments, int runs, Map<Long, Long> runIds) {}

    /** Exports whole experiments and/or single runs (with their experiment's spec) into {@code zip}. */
    public Result export(List<Long> experimentIds, List<Long> runIds, Path zip) throws IOException {
        Map<String, Object> doc = QuarkusTransaction.requiringNew().call(() -> document(experimentIds, runIds));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> exps = (List<Map<String, Object>>) doc.get("experiments");
        Map<String, String> sums = new TreeMap<>();
        int runCount = 0;
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            put(out, sums, "bundle.json", JSON.writeValueAsBytes(doc));
            put(out, sums, "README.md", readme().getBytes(StandardCharsets.UTF_8));
            for (Map<String, Object> e : exps) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> rs = (List<Map<String, Object>>) e.get("runs");
                for (Map<String, Object> r : rs) {
                    runCount++;
                    String id = r.get("id").toString();
                    Path metrics = store.file(id);
                    if (Files.exists(metrics)) {
                        store.closeRun(id);
                        put(out, sums, "metrics/" + id + MetricStore.EXTENSION, Files.readAllBytes(metrics));
                    }
                    // earlier attempts of a retried run travel with it (ADR 0008)
                    try (var earlier =
                            Files.newDirectoryStream(store.directory(), id + ".attempt-*" + MetricStore.EXTENSION)) {
                        for (Path f : earlier) {
                            put(out, sums, "metrics/" + f.getFileName(), Files.readAllBytes(f));
                        }
                    }
                    Path dir = home.artifacts().resolve(id);
                    if (Files.isDirectory(dir)) {
                        try (Stream<Path> files = Files.walk(dir)) {
                            for (Path f :
                                    files.filter(Files::isRegularFile).sorted().toList()) {
                                put(
                                        out,
                                        sums,
                                        "artifacts/" + id + "/"
                                                + dir.relativize(f).toString().replace('\\', '/'),
                                        Files.readAllBytes(f));
                            }
                        }
                    }
                }
            }
            StringBuilder sb = new StringBuilder();
            sums.forEach((name, sum) -> sb.append(sum).append("  ").append(name).append('\n'));
            out.putNextEntry(new ZipEntry("SHA256SUMS"));
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return new Result(exps.size(), runCount, Map.of());
    }

    /**
     * Imports a bundle. Checksums are verified before anything is stored; on any error nothing is stored.
     *
     * @throws InvalidInputException naming the entry at fault
     */
    public Result importBundle(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Map<String, String> expected = checksums(file);
            for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                if (entry.isDirectory() || entry.getName().equals("SHA256SUMS")) {
                    continue;
                }
                safeName(entry.getName());
                String sum = sha256(file.getInputStream(entry));
                if (!sum.equals(expected.get(entry.getName()))) {
                    throw new InvalidInputException(
                            "bundle",
                            "checksum mismatch for " + entry.getName() + " in " + zip
                                    + (expected.containsKey(entry.getName()) ? "" : " (not listed in SHA256SUMS)"));
                }
            }
            ZipEntry docEntry = file.getEntry("bundle.json");
            if (docEntry == null) {
                throw new InvalidInputException("bundle", zip + " is not a Replica bundle: no bundle.json");
            }
            Map<?, ?> doc = JSON.readValue(file.getInputStream(docEntry), Map.class);
            if (!FORMAT.equals(doc.get("format"))) {
                throw new InvalidInputException(
                        "bundle", "unsupported bundle format " + doc.get("format") + "; expected " + FORMAT);
            }
            Map<Long, Long> ids = QuarkusTransaction.requiringNew().call(() -> store(doc));
            for (Map.Entry<Long, Long> id : ids.entrySet()) {
                copy(
                        file,
                        "metrics/" + id.getKey() + MetricStore.EXTENSION,
                        store.file(id.getValue().toString()));
                String attemptPrefix = "metrics/" + id.getKey() + ".attempt-";
                for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                    String name = entry.getName();
                    if (name.startsWith(attemptPrefix) && name.endsWith(MetricStore.EXTENSION)) {
                        String n =
                                name.substring(attemptPrefix.length(), name.length() - MetricStore.EXTENSION.length());
                        if (!n.matches("[1-9][0-9]{0,8}")) {
                            throw new InvalidInputException(
                                    "bundle", "bundle entry " + name + ": attempt must be a number");
                        }
                        copy(file, name, store.file(id.getValue() + ".attempt-" + n));
                    }
                }
                String prefix = "artifacts/" + id.getKey() + "/";
                for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                    if (entry.getName().startsWith(prefix) && !entry.isDirectory()) {
                        Path target = home.artifacts()
                                .resolve(id.getValue().toString())
                                .resolve(safeName(entry.getName().substring(prefix.length())));
                        copy(file, entry.getName(), target);
                    }
                }
                if (store.exists(id.getValue().toString())) {
                    long newId = id.getValue();
                    QuarkusTransaction.requiringNew()
                            .run(() -> summaries.upsert(
                                    newId,
                                    store.recomputeSummaries(Long.toString(newId))
                                            .values()));
                }
            }
            @SuppressWarnings("unchecked")
            int experimentCount = ((List<Object>) doc.get("experiments")).size();
            return new Result(experimentCount, ids.size(), ids);
        }
    }

    private Map<String, Object> document(List<Long> experimentIds, List<Long> runIds) {
        Map<Long, List<Run>> selected = new LinkedHashMap<>();
        for (long id : experimentIds) {
            Experiment e = experiments
                    .findExperiment(id)
                    .orElseThrow(() -> new InvalidInputException("experiments", "no experiment with id " + id));
            selected.put(e.id, new ArrayList<>(runs.list("experiment.id = ?1 order by runIndex", e.id)));
        }
        for (long id : runIds) {
            Run r = runs.findRun(id).orElseThrow(() -> new InvalidInputException("runs", "no run with id " + id));
            List<Run> list = selected.computeIfAbsent(r.experiment.id, k -> new ArrayList<>());
            if (list.stream().noneMatch(x -> x.id.equals(r.id))) {
                list.add(r);
            }
        }
        if (selected.isEmpty()) {
            throw new InvalidInputException(null, "nothing to export: give experiments or runs");
        }
        List<Map<String, Object>> exps = new ArrayList<>();
        selected.forEach((experimentId, rs) -> {
            Experiment e = experiments.findExperiment(experimentId).orElseThrow();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id);
            m.put("name", e.name);
            m.put("description", e.description);
            m.put("kind", e.kind);
            m.put("specFile", e.specFile);
            m.put("specText", e.specText);
            m.put("specJson", e.specJson);
            m.put("primaryMetric", e.primaryMetric);
            m.put("metricGoal", e.metricGoal);
            m.put("createdAt", e.createdAt.toString());
            putLabels(m, labelQueries.forExperiments(List.of(e.id)).get(e.id));
            Map<Long, dev.replica.backend.label.LabelView> runLabels =
                    labelQueries.forRuns(rs.stream().map(x -> x.id).toList());
            List<Map<String, Object>> runViews = new ArrayList<>();
            for (Run r : rs) {
                Map<String, Object> rv = new LinkedHashMap<>();
                rv.put("id", r.id);
                rv.put("index", r.runIndex);
                rv.put("seed", r.seed);
                rv.put("configKey", r.configKey);
                rv.put("paramsJson", r.paramsJson);
                List<Map<String, String>> params = new ArrayList<>();
                r.params.forEach(
                        p -> params.add(Map.of("name", p.name, "type", p.valueType.name(), "value", p.valueText)));
                rv.put("params", params);
                rv.put("state", r.state.name());
                rv.put("attempt", r.attempt);
                rv.put("executor", r.executor);
                rv.put("exitCode", r.exitCode);
                rv.put("message", r.message);
                rv.put("createdAt", r.createdAt.toString());
                rv.put("startedAt", r.startedAt == null ? null : r.startedAt.toString());
                rv.put("finishedAt", r.finishedAt == null ? null : r.finishedAt.toString());
                rv.put("recipeHash", r.recipeHash);
                rv.put("manifestJson", r.manifestJson);
                putLabels(rv, runLabels.get(r.id));
                List<Map<String, Object>> events = new ArrayList<>();
                for (RunEvent ev : runs.findEvents(r.id)) {
                    Map<String, Object> evm = new LinkedHashMap<>();
                    evm.put("from", ev.fromState == null ? null : ev.fromState.name());
                    evm.put("to", ev.toState.name());
                    evm.put("message", ev.message);
                    evm.put("at", ev.at.toString());
                    events.add(evm);
                }
                rv.put("events", events);
                runViews.add(rv);
            }
            m.put("runs", runViews);
            exps.add(m);
        });
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("exportedAt", Instant.now().toString());
        doc.put("experiments", exps);
        return doc;
    }

    /** Stores the bundle's experiments and runs under new ids; returns old run id → new run id. */
    private Map<Long, Long> store(Map<?, ?> doc) {
        Map<Long, Long> ids = new LinkedHashMap<>();
        for (Object eo : (List<?>) doc.get("experiments")) {
            Map<?, ?> em = (Map<?, ?>) eo;
            Experiment e = new Experiment();
            e.name = str(em.get("name"));
            e.description = str(em.get("description"));
            e.kind = str(em.get("kind"));
            e.specFile = str(em.get("specFile"));
            e.specText = str(em.get("specText"));
            e.specJson = str(em.get("specJson"));
            e.primaryMetric = (String) em.get("primaryMetric");
            e.metricGoal = (String) em.get("metricGoal");
            e.createdAt = Instant.parse(str(em.get("createdAt")));
            List<?> rs = (List<?>) em.get("runs");
            e.runCount = rs.size();
            experiments.persist(e);
            experiments.flush();
            labelsOf(em).ifPresent(l -> labels.patchExperiment(e.id, l));
            for (Object ro : rs) {
                Map<?, ?> rm = (Map<?, ?>) ro;
                List<RunParam> params = new ArrayList<>();
                for (Object po : (List<?>) rm.get("params")) {
                    Map<?, ?> pm = (Map<?, ?>) po;
                    RunParam p = RunParam.of(
                            str(pm.get("name")), RunParam.decode(str(pm.get("type")), str(pm.get("value"))));
                    params.add(p);
                }
                Run r = Run.queued(
                        e,
                        ((Number) rm.get("index")).intValue(),
                        ((Number) rm.get("seed")).longValue(),
                        str(rm.get("configKey")),
                        str(rm.get("paramsJson")),
                        params,
                        0,
                        Instant.parse(str(rm.get("createdAt"))));
                r.state = RunState.valueOf(str(rm.get("state")));
                r.attempt = ((Number) rm.get("attempt")).intValue();
                r.executor = (String) rm.get("executor");
                r.exitCode = rm.get("exitCode") == null ? null : ((Number) rm.get("exitCode")).intValue();
                r.message = (String) rm.get("message");
                r.startedAt = rm.get("startedAt") == null ? null : Instant.parse(str(rm.get("startedAt")));
                r.finishedAt = rm.get("finishedAt") == null ? null : Instant.parse(str(rm.get("finishedAt")));
                r.recipeHash = (String) rm.get("recipeHash");
                r.manifestJson = (String) rm.get("manifestJson");
                r.queuedAt = r.state == RunState.QUEUED ? r.createdAt : null;
                runs.persist(r);
                runs.flush();
                for (Object evo : (List<?>) rm.get("events")) {
                    Map<?, ?> evm = (Map<?, ?>) evo;
                    RunEvent.imported(
                                    r,
                                    evm.get("from") == null ? null : RunState.valueOf(str(evm.get("from"))),
                                    RunState.valueOf(str(evm.get("to"))),
                                    (String) evm.get("message"),
                                    Instant.parse(str(evm.get("at"))))
                            .persist();
                }
                labelsOf(rm).ifPresent(l -> labels.patchRun(r.id, l));
                ids.put(((Number) rm.get("id")).longValue(), r.id);
            }
        }
        return ids;
    }

    /** A run's or an experiment's labels, when it has any: {@code labels: {displayName, note, tags, archived}}. */
    private static void putLabels(Map<String, Object> m, dev.replica.backend.label.LabelView l) {
        if (l != null) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("displayName", l.displayName());
            lm.put("note", l.note());
            lm.put("tags", l.tags());
            lm.put("archived", l.archived());
            m.put("labels", lm);
        }
    }

    /** The labels of a bundle entry as a patch that sets them all; checked as any other edit. */
    private static java.util.Optional<dev.replica.backend.label.LabelPatch> labelsOf(Map<?, ?> m) {
        if (!(m.get("labels") instanceof Map<?, ?> lm)) {
            return java.util.Optional.empty();
        }
        List<String> tags = lm.get("tags") instanceof List<?> t
                ? t.stream().map(Object::toString).toList()
                : List.of();
        return java.util.Optional.of(new dev.replica.backend.label.LabelPatch(
                lm.get("displayName") == null ? "" : lm.get("displayName").toString(),
                lm.get("note") == null ? "" : lm.get("note").toString(),
                tags,
                null,
                null,
                Boolean.TRUE.equals(lm.get("archived"))));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** Rejects names that are absolute or climb out of their folder (zip-slip). */
    static String safeName(String name) {
        Path p = Path.of(name).normalize();
        if (name.isEmpty() || p.isAbsolute() || p.startsWith("..") || name.contains("\\") || name.startsWith("/")) {
            throw new InvalidInputException("bundle", "bundle entry " + name + " would escape its folder");
        }
        return p.toString();
    }

    private static void copy(ZipFile file, String name, Path target) throws IOException {
        ZipEntry entry = file.getEntry(name);
        if (entry == null) {
            return;
        }
        if (Files.exists(target)) {
            throw new InvalidInputException("target", "refusing to overwrite " + target);
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = file.getInputStream(entry)) {
            Files.copy(in, target);
        }
    }

    private static Map<String, String> checksums(ZipFile file) throws IOException {
        ZipEntry sums = file.getEntry("SHA256SUMS");
        if (sums == null) {
            throw new InvalidInputException("bundle", "not a Replica bundle: no SHA256SUMS");
        }
        Map<String, String> out = new TreeMap<>();
        for (String line : new String(file.getInputStream(sums).readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                out.put(line.substring(66), line.substring(0, 64));
            }
        }
        return out;
    }

    private static void put(ZipOutputStream out, Map<String, String> sums, String name, byte[] bytes)
            throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(bytes);
        out.closeEntry();
        sums.put(name, sha256(new java.io.ByteArrayInputStream(bytes)));
    }

    private static String sha256(InputStream in) throws IOException {
        try (DigestInputStream d = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            d.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(d.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readme() {
        return """
                # Replica bundle

                Exported runs with everything needed to inspect and reproduce them:

                - `bundle.json`: experiments (spec as written and as parsed) and their runs: parameters, seed,
                  state, history, recipe hash and manifest (canonical JSON).
                - `metrics/<run>.arrows`: every metric point, Arrow IPC stream format (columns step, time_ms and one
                  float64 per metric; pyarrow: `pa.ipc.open_stream(path).read_all()`).
                - `artifacts/<run>/`: logs, manifest.json, code.diff and other files the run wrote.
                - `SHA256SUMS`: checksums of every file (`sha256sum -c SHA256SUMS` after unzipping).

                Load it into another Replica home with `replica import THIS.zip` (checksums are verified, runs get
                new ids, nothing is overwritten), then `replica reproduce RUN` reruns a run from its manifest.
                """;
    }
}
