package dev.replica.backend.executor.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskMapTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsTaskIndexToRunId() throws Exception {
        Path file = dir.resolve("job/tasks.tsv");
        new TaskMap("head01:4711:1f2e3d4c", List.of(101L, 102L, 205L)).write(file);
        assertThat(Files.readString(file)).isEqualTo("owner\thead01:4711:1f2e3d4c\n0\t101\n1\t102\n2\t205\n");
        TaskMap map = TaskMap.read(file);
        assertThat(map.owner()).isEqualTo("head01:4711:1f2e3d4c");
        assertThat(map.runFor(2)).isEqualTo(205L);
        assertThat(map.taskOf(102L)).isEqualTo(1);
        assertThatThrownBy(() -> map.runFor(3)).hasMessage("the job array has tasks 0-2, not task 3");
    }

    @Test
    void rejectsAFileThatIsNotATaskMapNamingTheLine() throws Exception {
        Path file = dir.resolve("tasks.tsv");
        Files.writeString(file, "owner\tx\n0\t101\n2\t102\n");
        assertThatThrownBy(() -> TaskMap.read(file)).hasMessage(file + ":3: expected '1<TAB>RUN_ID', got '2\t102'");
        Files.writeString(file, "0\t101\n");
        assertThatThrownBy(() -> TaskMap.read(file))
                .hasMessage(file + ":1: not a Replica task map (it starts with an owner line)");
    }
}
