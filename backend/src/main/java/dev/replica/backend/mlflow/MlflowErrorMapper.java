package dev.replica.backend.mlflow;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/** MLflow's error body, {@code {"error_code": "...", "message": "..."}}, for the MLflow API only. */
@Provider
public class MlflowErrorMapper implements ExceptionMapper<MlflowError> {

    @Override
    public Response toResponse(MlflowError e) {
        return Response.status(e.code().status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error_code", e.code().name(), "message", e.getMessage()))
                .build();
    }
}
