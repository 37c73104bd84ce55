package dev.replica.backend.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The filter grammar of {@code replica ls --where} and {@code GET /api/runs?filter=}. */
class RunConditionTest {

    @Test
    void readsEveryOperator() {
        for (String op : new String[] {"=", "!=", "<", "<=", ">", ">="}) {
            RunCondition c = RunCondition.parse("param:lr" + op + "0.5");
            assertThat(c.op().symbol).isEqualTo(op);
            assertThat(c.value()).isEqualTo("0.5");
        }
        assertThat(RunCondition.parse("state=failed").field().toString()).isEqualTo("state");
    }

    @Test
    void readsRangesWithOneOrTwoEnds() {
        assertThat(RunCondition.parseAll("param:lr=0.001..0.01"))
                .extracting(RunCondition::toString)
                .containsExactly("param:lr>=0.001", "param:lr<=0.01");
        assertThat(RunCondition.parseAll("summary:last:val/loss=..0.3"))
                .extracting(RunCondition::toString)
                .containsExactly("summary:last:val/loss<=0.3");
        assertThat(RunCondition.parseAll("param:lr=1e-3.."))
                .extracting(RunCondition::toString)
                .containsExactly("param:lr>=1e-3");
        assertThat(RunCondition.parseAll("param:optimizer!=adamw"))
                .extracting(RunCondition::toString)
                .containsExactly("param:optimizer!=adamw");
    }

    @Test
    void rejectsBadRangesNamingTheFilter() {
        assertThatThrownBy(() -> RunCondition.parseAll("param:lr=.."))
                .hasMessage("filter 'param:lr=..': a range needs at least one end");
        assertThatThrownBy(() -> RunCondition.parseAll("param:lr=a..1"))
                .hasMessage("filter 'param:lr=a..1': a range needs numbers, got 'a'");
        assertThatThrownBy(() -> RunCondition.parseAll("param:lr=2..1"))
                .hasMessage("filter 'param:lr=2..1': the range starts at 2, above its end 1");
        assertThatThrownBy(() -> RunCondition.parseAll("param:lr<low"))
                .hasMessage("filter 'param:lr<low': < needs a number, got 'low'");
    }

    @Test
    void readsTagFiltersWithoutAnOperator() {
        RunCondition has = RunCondition.parseAll("tag:baseline").get(0);
        assertThat(has.field().kind()).isEqualTo(RunField.Kind.TAG);
        assertThat(has.field().name()).isEqualTo("baseline");
        assertThat(has.op()).isEqualTo(RunCondition.Op.EQ);
        RunCondition without = RunCondition.parseAll("!tag:lr-study/v2").get(0);
        assertThat(without.op()).isEqualTo(RunCondition.Op.NE);
        assertThat(without.toString()).isEqualTo("!tag:lr-study/v2");
        assertThatThrownBy(() -> RunCondition.parseAll("tag:"))
                .hasMessage("filter 'tag:': tag:: a tag is 1–64 letters, digits, '.', '_', '-', '/' or '+', starting"
                        + " with a letter or digit, got \"\"");
        assertThatThrownBy(() -> RunSort.parse("-tag:baseline"))
                .hasMessage("sort '-tag:baseline': tag:baseline filters runs but cannot sort them");
    }
}
