package dev.replica.experiments.kind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an experiment kind accepts. Built-in kinds declare every parameter, so a typo or an
 * ill-typed value is rejected before anything runs; {@code command} accepts any scalar parameter
 * because the external program defines its own.
 *
 * @param name        kind name as written in specs
 * @param description one line for the spec reference
 * @param params      declared parameters; empty and {@code openParams} for {@code command}
 * @param openParams  whether undeclared parameters are allowed
 * @param needsCommand whether the spec must give a {@code command:} argv template
 */
public record KindSchema(
        String name, String description, List<ParamSpec> params, boolean openParams, boolean needsCommand) {

    public Optional<ParamSpec> param(String paramName) {
        return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
    }

    /** Defaults of every declared parameter that has one, in declaration order. */
    public Map<String, Object> defaults() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ParamSpec p : params) {
            if (p.defaultValue() != null) {
                out.put(p.name(), p.defaultValue());
            }
        }
        return out;
    }
}
