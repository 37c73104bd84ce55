package dev.replica.experiments.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small generated Fashion-MNIST-shaped IDX files (with a SHA256SUMS file) for tests. */
public final class IdxFiles {

    private IdxFiles() {}

    /**
     * {@code n} train and {@code n/2} test images of {@code side × side} pixels in 10 classes; class c
     * lights up pixel band c, plus noise, so a small model can learn it.
     */
    public static Path write(Path dir, int n, int side, long seed) throws IOException {
        Files.createDirectories(dir);
        Rng rng = Rng.of(seed, 0);
        List<String> sums = new ArrayList<>();
        for (String split : new String[] {"train", "t10k"}) {
            int count = split.equals("train") ? n : n / 2;
            ByteBuffer im = ByteBuffer.allocate(16 + count * side * side);
            im.putInt(0x803).putInt(count).putInt(side).putInt(side);
            ByteBuffer lb = ByteBuffer.allocate(8 + count);
            lb.putInt(0x801).putInt(count);
            for (int i = 0; i < count; i++) {
                int c = rng.nextInt(10);
                lb.put((byte) c);
                for (int p = 0; p < side * side; p++) {
                    int band = p * 10 / (side * side);
                    int v = (band == c ? 200 : 20) + rng.nextInt(50);
                    im.put((byte) v);
                }
            }
            String imName = split + "-images-idx3-ubyte";
            String lbName = split + "-labels-idx1-ubyte";
            Files.write(dir.resolve(imName), im.array());
            Files.write(dir.resolve(lbName), lb.array());
            sums.add(FashionMnist.sha256(im.array()) + "  " + imName);
            sums.add(FashionMnist.sha256(lb.array()) + "  " + lbName);
        }
        Files.write(dir.resolve("SHA256SUMS"), sums);
        return dir;
    }
}
