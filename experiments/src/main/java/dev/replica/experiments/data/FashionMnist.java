package dev.replica.experiments.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST from IDX files (the format of the original distribution and of Debian's
 * {@code dataset-fashion-mnist}, which installs gzipped files under {@value #DEFAULT_DIR}).
 *
 * <p>A directory holds {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each either plain or gzipped
 * ({@code .gz}). Every file is checked by SHA-256 against the official files' hashes; a directory
 * of other IDX files (for example a subset) is accepted when it carries a {@code SHA256SUMS} file
 * listing them ({@code <hex>  <name>}, as {@code sha256sum} writes it). Pixels are scaled to [0, 1]
 * and standardized with Fashion-MNIST's mean 0.2860 and std 0.3530.
 */
public final class FashionMnist {

    /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    /** What to run when the files are missing. */
    public static final String INSTALL_COMMAND = "sudo apt-get install dataset-fashion-mnist";

    static final String[] FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
    };

    /** SHA-256 of the official files, gzipped and plain. */
    static final Map<String, String> KNOWN = Map.of(
            "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
            "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
            "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    private static final float MEAN = 0.2860f;
    private static final float STD = 0.3530f;

    /**
     * The train and test splits with the files they came from and their hashes (for the manifest).
     */
    public record Splits(LabeledData train, LabeledData test, Map<String, String> fileHashes) {}

    private FashionMnist() {}

    /**
     * Loads and verifies the four files in {@code dir}.
     *
     * @throws DatasetException naming the missing file and {@value #INSTALL_COMMAND}, or the file whose hash
     *                          does not match
     */
    public static Splits load(Path dir) {
        Map<String, String> sums = readSumsFile(dir.resolve("SHA256SUMS"));
        Map<String, Path> paths = new LinkedHashMap<>();
        for (String f : FILES) {
            Path plain = dir.resolve(f);
            Path gz = dir.resolve(f + ".gz");
            if (Files.isRegularFile(plain)) {
                paths.put(f, plain);
            } else if (Files.isRegularFile(gz)) {
                paths.put(f, gz);
            } else {
                throw new DatasetException("Fashion-MNIST file " + f + "[.gz] not found in " + dir
                        + ": install it with `" + INSTALL_COMMAND + "` (files go to " + DEFAULT_DIR
                        + ") or set data_dir to a directory holding the IDX files");
            }
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : paths.entrySet()) {
            Path p = e.getValue();
            String name = p.getFileName().toString();
            byte[] raw = readAll(p);
            String hash = sha256(raw);
            String expected = sums != null ? sums.get(name) : KNOWN.get(name);
            if (expected == null || !expected.equalsIgnoreCase(hash)) {
                throw new DatasetException("Fashion-MNIST file " + p + " has SHA-256 " + hash + ", expected "
                        + (expected == null ? "an entry in " + dir.resolve("SHA256SUMS") : expected)
                        + ": reinstall with `" + INSTALL_COMMAND + "`");
            }
            hashes.put(name, hash);
            contents.put(e.getKey(), name.endsWith(".gz") ? gunzip(raw, p) : raw);
        }
        LabeledData train = decode(contents.get(FILES[0]), contents.get(FILES[1]), "train");
        LabeledData test = decode(contents.get(FILES[2]), contents.get(FILES[3]), "t10k");
        return new Splits(train, test, hashes);
    }

    private static LabeledData decode(byte[] images, byte[] labels, String split) {
        try (DataInputStream im = new DataInputStream(new java.io.ByteArrayInputStream(images));
                DataInputStream lb = new DataInputStream(new java.io.ByteArrayInputStream(labels))) {
            if (im.readInt() != 0x803) {
                throw new DatasetException(split + " images: not an IDX3 unsigned-byte file");
            }
            int n = im.readInt();
            int rows = im.readInt();
            int cols = im.readInt();
            if (lb.readInt() != 0x801) {
                throw new DatasetException(split + " labels: not an IDX1 unsigned-byte file");
            }
            int nl = lb.readInt();
            if (nl != n) {
                throw new DatasetException(split + ": " + n + " images but " + nl + " labels");
            }
            int dim = rows * cols;
            if (images.length != 16 + (long) n * dim || labels.length != 8 + n) {
                throw new DatasetException(split + ": file sizes do not match the IDX headers");
            }
            float[] x = new float[n * dim];
            for (int i = 0; i < x.length; i++) {
                x[i] = ((images[16 + i] & 0xff) / 255f - MEAN) / STD;
            }
            int[] y = new int[n];
            int classes = 0;
            for (int i = 0; i < n; i++) {
                y[i] = labels[8 + i] & 0xff;
                classes = Math.max(classes, y[i] + 1);
            }
            return new LabeledData(x, y, n, dim, Math.max(classes, 10));
        } catch (IOException e) {
            throw new DatasetException(split + ": truncated IDX file");
        }
    }

    private static Map<String, String> readSumsFile(Path p) {
        if (!Files.isRegularFile(p)) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(p)) {
                String[] parts = line.trim().split("\\s+\\*?");
                if (parts.length == 2) {
                    m.put(parts[1], parts[0]);
                }
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read " + p + ": " + e.getMessage());
        }
        return m;
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + p + ": " + e.getMessage());
        }
    }

    private static byte[] gunzip(byte[] raw, Path p) {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(new java.io.ByteArrayInputStream(raw)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new DatasetException("cannot decompress " + p + ": " + e.getMessage());
        }
    }

    /** Lower-case hex SHA-256 of {@code data}. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file names a directory must hold (each plain or with {@code .gz}). */
    public static List<String> fileNames() {
        return List.of(FILES);
    }
}
