package dev.replica.backend.web;

import dev.replica.backend.config.ReplicaHome;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only, read-only: a run's logs as {@code replica logs} prints them, each file cut to its last 256 KiB. */
@Path("/api/web/runs/{id}/logs")
public class LogResource {

    static final List<String> FILES = List.of("command.txt", "backend.txt", "run.log", "stdout.log", "stderr.log");
    static final int MAX_BYTES_PER_FILE = 256 * 1024;

    @Inject
    ReplicaHome home;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "A run's logs (command, stdout, stderr, run log) as plain text, the tail of each file")
    public String logs(@PathParam("id") long id) throws IOException {
        java.nio.file.Path dir = home.runFolder(id);
        StringBuilder out = new StringBuilder();
        for (String name : FILES) {
            java.nio.file.Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                continue;
            }
            out.append("==> ").append(name).append(" <==\n");
            try (RandomAccessFile file = new RandomAccessFile(f.toFile(), "r")) {
                long length = file.length();
                long start = Math.max(0, length - MAX_BYTES_PER_FILE);
                if (start > 0) {
                    out.append("[… first ").append(start).append(" bytes left out …]\n");
                }
                byte[] bytes = new byte[(int) (length - start)];
                file.seek(start);
                file.readFully(bytes);
                out.append(new String(bytes, StandardCharsets.UTF_8));
            }
            if (out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
        }
        if (out.isEmpty()) {
            throw new NotFoundException("no logs for run " + id + " (it has not started, or the id is wrong)");
        }
        return out.toString();
    }
}
