package dev.replica.backend.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}).
 *
 * @param field  for a bad value: the field (query parameter, body field) at fault, as the caller named it
 * @param errors for spec validation: every error with file, line, column and field
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem that names no single field. */
    public Problem(String type, String title, int status, String detail, List<FieldError> errors) {
        this(type, title, status, detail, null, errors);
    }

    /** One located error. */
    public record FieldError(String file, int line, int column, String field, String message) {}
}
