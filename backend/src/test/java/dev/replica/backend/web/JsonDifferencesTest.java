package dev.replica.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonDifferencesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static List<String> diff(String expected, String actual) throws Exception {
        return JsonDifferences.of(JSON.readTree(expected), JSON.readTree(actual));
    }

    @Test
    void ignoresKeyOrderButNotArrayOrder() throws Exception {
        assertThat(diff("{\"a\": 1, \"b\": [1, 2]}", "{\"b\": [1, 2], \"a\": 1}"))
                .isEmpty();
        assertThat(diff("{\"b\": [1, 2]}", "{\"b\": [2, 1]}")).containsExactly("~ /b/0: 1 → 2", "~ /b/1: 2 → 1");
    }

    @Test
    void namesAddedRemovedAndChangedValuesByJsonPointer() throws Exception {
        String snapshot = "{\"paths\": {\"/api/runs\": {\"get\": {\"summary\": \"List runs\"}}},"
                + " \"components\": {\"Row\": {\"type\": \"object\", \"required\": [\"a\"]}}}";
        String live = "{\"paths\": {\"/api/runs\": {\"get\": {\"summary\": \"List the runs\"}}, \"/api/x\": {}},"
                + " \"components\": {\"Row\": {\"type\": \"object\", \"required\": [\"a\", \"b\"]}}}";
        assertThat(diff(snapshot, live))
                .containsExactly(
                        "+ /components/Row/required/1: \"b\"",
                        "~ /paths/~1api~1runs/get/summary: \"List runs\" → \"List the runs\"",
                        "+ /paths/~1api~1x: {}");
        assertThat(diff(live, snapshot)).contains("- /paths/~1api~1x: {}");
    }

    @Test
    void cutsLongListsAndLongValues() throws Exception {
        StringBuilder a = new StringBuilder("[");
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            a.append(i == 0 ? "" : ",").append(i);
            b.append(i == 0 ? "" : ",").append(i + 1);
        }
        List<String> lines = diff(a.append("]").toString(), b.append("]").toString());
        assertThat(lines).hasSize(JsonDifferences.MAX_LINES + 1).last().isEqualTo("… and 40 more");
        assertThat(diff("{\"k\": 1}", "{\"k\": \"" + "x".repeat(500) + "\"}").get(0))
                .endsWith("…")
                .hasSizeLessThan(200);
    }
}
