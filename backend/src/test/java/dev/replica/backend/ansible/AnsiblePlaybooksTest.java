package dev.replica.backend.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The playbooks stay lint-clean (ansible-lint's production profile) and every playbook passes Ansible's
 * syntax check against both inventories. Needs Debian's ansible-core and ansible-lint (.ci/deps/ansible.sh
 * installs them); skipped without them unless {@code CI=true}.
 */
class AnsiblePlaybooksTest {

    static final Path ANSIBLE = Path.of("../ansible").toAbsolutePath().normalize();

    @Test
    void lintCleanOnTheProductionProfile() throws Exception {
        requireCommand("ansible-lint");
        Result lint = run(List.of("ansible-lint", "--offline", "--nocolor"));
        assertThat(lint.exitCode()).as(lint.output()).isZero();
        assertThat(lint.output()).contains("Passed").contains("0 failure(s), 0 warning(s)");
    }

    @Test
    void everyPlaybookPassesTheSyntaxCheck() throws Exception {
        requireCommand("ansible-playbook");
        for (List<String> playbook : List.of(
                List.of("-i", "inventories/example", "site.yml"),
                List.of("-i", "inventories/local", "slurm-local.yml"))) {
            List<String> command = new java.util.ArrayList<>(List.of("ansible-playbook", "--syntax-check"));
            command.addAll(playbook);
            Result check = run(command);
            assertThat(check.exitCode())
                    .as(String.join(" ", command) + "\n" + check.output())
                    .isZero();
        }
    }

    record Result(int exitCode, String output) {}

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(ANSIBLE.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 3 minutes");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static void requireCommand(String name) {
        boolean found = java.util.Arrays.stream(
                        System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, name)));
        if (!found) {
            Assumptions.assumeTrue("true".equals(System.getenv("CI")), name + " is not installed");
            throw new AssertionError(name + " is not installed (.ci/deps/ansible.sh installs it)");
        }
    }
}
