package dev.replica.backend.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.metrics.XAxis;
import dev.replica.experiments.spec.InvalidInputException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** Which exceptions are the caller's fault (400, naming the field) and which are bugs (500, nothing leaked). */
class ProblemExceptionMapperTest {

    private final ProblemExceptionMapper mapper = new ProblemExceptionMapper();

    @Test
    void answersInvalidInputWith400NamingTheField() {
        Response r = mapper.toResponse(new InvalidInputException("buckets", "buckets must be in [1, 10000], got 0"));

        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(r.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        Problem p = (Problem) r.getEntity();
        assertThat(p.field()).isEqualTo("buckets");
        assertThat(p.detail()).isEqualTo("buckets must be in [1, 10000], got 0");
    }

    @Test
    void answersAnInvalidValueFoundDeepInTheEngineWith400() {
        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidInputException.class, () -> XAxis.parse("bad\u0001name"));

        Problem p = (Problem) mapper.toResponse(e).getEntity();

        assertThat(p.status()).isEqualTo(400);
        assertThat(p.field()).isEqualTo("x");
        assertThat(p.detail()).startsWith("x must be step, time_ms or a metric name, got 'bad\u0001name'");
    }

    @Test
    void answersAPlainIllegalArgumentExceptionWith500AndAGenericMessage() {
        Response r = mapper.toResponse(new IllegalArgumentException("steps, timesMs and values differ in length"));

        assertThat(r.getStatus()).isEqualTo(500);
        Problem p = (Problem) r.getEntity();
        assertThat(p.title()).isEqualTo("Internal error");
        assertThat(p.detail()).isEqualTo("unexpected error; see the server log");
        assertThat(p.field()).isNull();
    }

    @Test
    void answersAnUncaughtNumberFormatExceptionWith500() {
        // a NumberFormatException is an IllegalArgumentException: unparsed input that no one checked is a bug
        Response r = mapper.toResponse(new NumberFormatException("For input string: \"x\""));

        assertThat(r.getStatus()).isEqualTo(500);
    }
}
