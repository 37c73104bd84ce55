package dev.replica.experiments.kind;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SpecReferenceTest {

    @Test
    void docsSpecReferenceMatchesTheKindSchemas() throws IOException {
        Path doc = Path.of("../docs/spec-reference.md");
        assertThat(doc).exists();
        assertThat(Files.readString(doc))
                .as("docs/spec-reference.md is out of date; regenerate it from the repository root with\n"
                        + "  java -cp experiments/target/classes dev.replica.experiments.kind.SpecReference")
                .isEqualTo(SpecReference.render());
    }

    @Test
    void everyBuiltInParameterHasADescriptionAndAValidDefault() {
        for (KindSchema kind : KindRegistry.all()) {
            for (ParamSpec p : kind.params()) {
                assertThat(p.description()).as(kind.name() + "." + p.name()).isNotBlank();
                if (p.defaultValue() != null) {
                    String[] error = new String[1];
                    assertThat(p.coerce(p.defaultValue(), error))
                            .as(kind.name() + "." + p.name() + ": " + error[0])
                            .isPresent();
                }
            }
        }
    }
}
