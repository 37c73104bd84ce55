package dev.replica.backend.api;

import dev.replica.backend.run.IllegalTransitionException;
import dev.replica.backend.run.RunStillActiveException;
import dev.replica.experiments.spec.InvalidInputException;
import dev.replica.experiments.spec.SpecValidationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The one place exceptions become HTTP answers: problem+json naming the field at fault. Only the typed
 * exceptions for bad input ({@link InvalidInputException}, {@link SpecValidationException}) are 400s; any
 * other exception, a plain {@link IllegalArgumentException} included, is a bug: 500 with a generic message,
 * its stack trace in the server log.
 */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class);

    @Override
    public Response toResponse(Exception exception) {
        if (exception instanceof SpecValidationException e) {
            List<Problem.FieldError> errors = e.errors().stream()
                    .map(x -> new Problem.FieldError(x.file(), x.line(), x.column(), x.field(), x.message()))
                    .toList();
            return problem(
                    400,
                    "Invalid experiment spec",
                    errors.size() + (errors.size() == 1 ? " error" : " errors") + " in spec",
                    errors);
        }
        if (exception instanceof InvalidInputException e) {
            return problem(400, "Bad request", e.getMessage(), e.field(), null);
        }
        if (exception instanceof RunStillActiveException e) {
            return problem(409, "Run still active", e.getMessage(), null);
        }
        if (exception instanceof dev.replica.backend.experiment.ExperimentStillActiveException e) {
            return problem(409, "Experiment still active", e.getMessage(), null);
        }
        if (exception instanceof IllegalTransitionException e) {
            return problem(409, "Illegal state transition", e.getMessage(), null);
        }
        if (exception instanceof NotFoundException e) {
            return problem(404, "Not found", e.getMessage(), null);
        }
        if (exception instanceof WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return problem(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(), null);
        }
        LOG.error("unexpected error", exception);
        return problem(500, "Internal error", "unexpected error; see the server log", null);
    }

    public static Response problem(int status, String title, String detail, List<Problem.FieldError> errors) {
        return problem(status, title, detail, null, errors);
    }

    private static Response problem(
            int status, String title, String detail, String field, List<Problem.FieldError> errors) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, field, errors))
                .build();
    }
}
