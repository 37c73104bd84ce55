package dev.replica.experiments.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A spec's top-level {@code tags:}. */
class SpecTagsTest {

    private final SpecParser parser = new SpecParser();

    private static final String SPEC = """
            apiVersion: replica/v1
            name: t
            kind: optimizer-sweep
            tags: %s
            """;

    @Test
    void readsTagsInTheirOrder() {
        assertThat(parser.parse(SPEC.formatted("[baseline, adamw/v2, \"7\"]"), "spec.yaml")
                        .tags())
                .containsExactly("baseline", "adamw/v2", "7");
        assertThat(parser.parse(SPEC.formatted("[]"), "spec.yaml").tags()).isEmpty();
        assertThat(parser.parse(SPEC.formatted("~"), "spec.yaml").tags()).isEmpty();
    }

    @Test
    void rejectsBadTagsWithTheirLineAndIndex() {
        assertThatThrownBy(() -> parser.parse(SPEC.formatted("[ok, \"has space\", 7, ok]"), "spec.yaml"))
                .isInstanceOf(SpecValidationException.class)
                .satisfies(e -> assertThat(((SpecValidationException) e).errors())
                        .extracting(SpecError::toString)
                        .containsExactly(
                                "spec.yaml:4:12: tags[1]: a tag is 1–64 letters, digits, '.', '_', '-', '/' or '+',"
                                        + " starting with a letter or digit, got \"has space\"",
                                "spec.yaml:4:25: tags[2]: must be a string; quote it: \"7\"",
                                "spec.yaml:4:28: tags[3]: repeats the tag \"ok\""));
        assertThatThrownBy(() -> parser.parse(SPEC.formatted("baseline"), "spec.yaml"))
                .hasMessageContaining("spec.yaml:4:7: tags: must be a list of tags such as [baseline, adamw], got");
        String tooMany = IntStream.range(0, 101).mapToObj(i -> "t" + i).collect(Collectors.joining(", ", "[", "]"));
        assertThatThrownBy(() -> parser.parse(SPEC.formatted(tooMany), "spec.yaml"))
                .hasMessageContaining("spec.yaml:4:7: tags: has 101 tags; the limit is 100");
        assertThatThrownBy(() -> parser.parse(SPEC.formatted("[" + "x".repeat(65) + "]"), "spec.yaml"))
                .hasMessageContaining("tags[0]: a tag is 1–64 letters");
    }
}
