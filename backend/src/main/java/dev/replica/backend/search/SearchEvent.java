package dev.replica.backend.search;

import dev.replica.experiments.search.RungDecision;
import java.util.List;

/**
 * One early-stopping decision as the CLI and API show it.
 *
 * @param experimentId the experiment searched
 * @param label        the configuration by its swept parameters, e.g. {@code lr=0.01}
 * @param decision     what was decided, at which rung, with the configuration's mean and CI
 * @param runIds       the configuration's runs that the decision stopped (empty for a promotion)
 * @param text         the decision in words
 */
public record SearchEvent(long experimentId, String label, RungDecision decision, List<Long> runIds, String text) {}
