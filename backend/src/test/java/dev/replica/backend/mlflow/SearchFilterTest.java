package dev.replica.backend.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchFilterTest {

    private record Subject(Map<String, Double> metrics, Map<String, String> params, Map<String, Object> attributes)
            implements SearchFilter.Subject {
        @Override
        public Double metric(String key) {
            return metrics.get(key);
        }

        @Override
        public String param(String key) {
            return params.get(key);
        }

        @Override
        public String tag(String key) {
            return null;
        }

        @Override
        public Object attribute(String key) {
            return attributes.get(key);
        }
    }

    private static final Subject RUN =
            new Subject(Map.of("val loss", 0.25), Map.of("optimizer", "muon"), Map.of("status", "FINISHED"));

    private static boolean matches(String filter) {
        return SearchFilter.matches(SearchFilter.parse(filter, SearchFilter.RUNS), RUN);
    }

    @Test
    void parsesQuotedKeysEntityAliasesAndComparators() {
        assertThat(SearchFilter.parse("metrics.`val loss` <= 0.5 AND param.optimizer = \"muon\"", SearchFilter.RUNS))
                .containsExactly(
                        new SearchFilter.Clause(SearchFilter.Entity.METRIC, "val loss", "<=", 0.5),
                        new SearchFilter.Clause(SearchFilter.Entity.PARAM, "optimizer", "=", "muon"));
        assertThat(matches("metrics.`val loss` < 0.5 and params.optimizer = 'muon' and status = 'FINISHED'"))
                .isTrue();
        assertThat(matches("metrics.`val loss` > 0.25")).isFalse();
        assertThat(matches("metrics.missing < 1")).isFalse(); // a run without the metric never matches
        assertThat(matches("params.optimizer != 'adamw'")).isTrue();
        assertThat(matches("params.optimizer LIKE 'mu%'")).isTrue();
        assertThat(matches("params.optimizer LIKE 'MU%'")).isFalse();
        assertThat(matches("params.optimizer ILIKE 'MU_N'")).isTrue();
        assertThat(matches("params.optimizer LIKE 'm.on'")).isFalse(); // '.' is literal, not a regex
    }

    @Test
    void rejectsBadFiltersNamingTheProblem() {
        assertThatThrownBy(() -> SearchFilter.parse("metrics.loss < 'low'", SearchFilter.RUNS))
                .isInstanceOf(MlflowError.class)
                .hasMessageContaining("expected a numeric value for metric 'loss'");
        assertThatThrownBy(() -> SearchFilter.parse("params.lr < '1'", SearchFilter.RUNS))
                .hasMessageContaining("invalid comparator '<' for param 'lr'");
        assertThatThrownBy(() -> SearchFilter.parse("metrics.loss < 1 or metrics.loss > 2", SearchFilter.RUNS))
                .hasMessageContaining("no OR");
        assertThatThrownBy(() -> SearchFilter.parse("foo.bar = 'x'", SearchFilter.RUNS))
                .hasMessageContaining("invalid entity type 'foo'");
        assertThatThrownBy(() -> SearchFilter.parse("attributes.colour = 'x'", SearchFilter.RUNS))
                .hasMessageContaining("Invalid attribute key 'colour'");
        assertThatThrownBy(() -> SearchFilter.parse("params.x = 'open", SearchFilter.RUNS))
                .hasMessageContaining("unterminated quote");
        assertThatThrownBy(() -> SearchFilter.parse("metrics.loss", SearchFilter.RUNS))
                .hasMessageContaining("expected a comparator");
        assertThatThrownBy(() -> SearchFilter.parse("metrics.loss < 1", SearchFilter.EXPERIMENTS))
                .hasMessageContaining("attributes and tags only");
        assertThat(((MlflowError) org.assertj.core.api.Assertions.catchThrowable(
                                () -> SearchFilter.parse("metrics.loss <", SearchFilter.RUNS)))
                        .code())
                .isEqualTo(MlflowError.Code.INVALID_PARAMETER_VALUE);
    }

    @Test
    void ordersWithMissingValuesLastInBothDirections() {
        Subject a = new Subject(Map.of("loss", 1.0), Map.of(), Map.of("run_id", "1"));
        Subject b = new Subject(Map.of("loss", 2.0), Map.of(), Map.of("run_id", "2"));
        Subject none = new Subject(Map.of(), Map.of(), Map.of("run_id", "3"));
        for (String dir : List.of("ASC", "DESC")) {
            List<Subject> sorted = new java.util.ArrayList<>(List.of(none, b, a));
            sorted.sort(SearchFilter.comparator(
                    List.of(SearchFilter.parseOrder("metrics.loss " + dir, SearchFilter.RUNS)), (x, y) -> 0));
            assertThat(sorted).containsExactly(dir.equals("ASC") ? a : b, dir.equals("ASC") ? b : a, none);
        }
        assertThatThrownBy(() -> SearchFilter.parseOrder("metrics.loss UP", SearchFilter.RUNS))
                .hasMessageContaining("expected ASC or DESC");
    }
}
