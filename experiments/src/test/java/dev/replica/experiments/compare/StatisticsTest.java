package dev.replica.experiments.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.junit.jupiter.api.Test;

/** Our use of commons-statistics checked against published worked examples. */
class StatisticsTest {
    @Test
    void welchMatchesTheWorkedExamplesOfWelchsTTestOnWikipedia() {
        // Wikipedia, "Welch's t-test", Examples 1-3 (values published to 2-3 significant digits).
        double[] a1 = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
        double[] a2 = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};
        Statistics.Welch w = Statistics.welch(a1, a2, AlternativeHypothesis.TWO_SIDED);
        assertThat(w.t()).isCloseTo(-2.46, within(0.005));
        assertThat(w.df()).isCloseTo(25.0, within(0.05));
        assertThat(w.p()).isCloseTo(0.021, within(0.0005));

        double[] b1 = {17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8};
        double[] b2 = {
            21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5,
            21.5, 21.8
        };
        Statistics.Welch w2 = Statistics.welch(b1, b2, AlternativeHypothesis.TWO_SIDED);
        assertThat(w2.t()).isCloseTo(-1.57, within(0.005));
        assertThat(w2.df()).isCloseTo(9.9, within(0.05));
        assertThat(w2.p()).isCloseTo(0.149, within(0.0005));
    }

    @Test
    void mannWhitneyMatchesHollanderAndWolfesExampleAsPublishedInRsDocumentation() {
        // Hollander & Wolfe (1973), p. 69; R's ?wilcox.test: W = 35, p = 0.1272 (one-sided, exact).
        double[] x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
        double[] y = {1.15, 0.88, 0.90, 0.74, 1.21};
        Statistics.MannWhitney greater = Statistics.mannWhitney(x, y, AlternativeHypothesis.GREATER_THAN);
        assertThat(greater.u()).isEqualTo(35.0);
        assertThat(greater.p()).isCloseTo(0.1272, within(0.00005));
        assertThat(greater.ties()).isFalse();
        Statistics.MannWhitney two = Statistics.mannWhitney(x, y, AlternativeHypothesis.TWO_SIDED);
        assertThat(two.p()).isCloseTo(0.2544, within(0.0001));
    }

    @Test
    void mannWhitneyOfCompletelySeparatedSamplesHasTheCombinatorialExactPValue() {
        // U = 0 is 1 of C(8,4) = 70 equally likely rank splits; two-sided p = 2/70.
        Statistics.MannWhitney r = Statistics.mannWhitney(
                new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8}, AlternativeHypothesis.TWO_SIDED);
        assertThat(r.u()).isZero();
        assertThat(r.p()).isCloseTo(2.0 / 70, within(1e-12));
    }

    @Test
    void holmMatchesRsPAdjust() {
        // p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
        assertThat(Statistics.holm(new double[] {0.01, 0.04, 0.03, 0.005}))
                .containsExactly(new double[] {0.03, 0.06, 0.06, 0.02}, within(1e-12));
        // An untestable comparison (NaN) still counts: m = 3, so 0.01 × 3 and max(0.03, 0.04 × 2).
        assertThat(Statistics.holm(new double[] {0.01, Double.NaN, 0.04}))
                .containsExactly(new double[] {0.03, Double.NaN, 0.08}, within(1e-12));
    }

    @Test
    void degenerateSamplesAnswerAsSciPyDoes() {
        double[] zeros = {0, 0, 0};
        double[] ones = {1, 1, 1};
        // scipy.stats.ttest_ind([0,0,0], [1,1,1]) = (-inf, 0.0) (SciPy's own regression test, PR #5484)
        Statistics.Welch w = Statistics.welch(zeros, ones, AlternativeHypothesis.TWO_SIDED);
        assertThat(w.t()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(w.p()).isEqualTo(0.0);
        assertThat(Statistics.welch(zeros, ones, AlternativeHypothesis.GREATER_THAN)
                        .p())
                .isEqualTo(1.0);
        assertThat(Statistics.welch(zeros, ones, AlternativeHypothesis.LESS_THAN)
                        .p())
                .isEqualTo(0.0);
        // identical constant samples: no evidence of a difference
        assertThat(Statistics.welch(ones, ones, AlternativeHypothesis.TWO_SIDED).p())
                .isEqualTo(1.0);
        // scipy.stats.mannwhitneyu([1,1,1], [1,1,1]) = (4.5, 1.0)
        Statistics.MannWhitney mw = Statistics.mannWhitney(ones, ones, AlternativeHypothesis.TWO_SIDED);
        assertThat(mw.u()).isEqualTo(4.5);
        assertThat(mw.p()).isEqualTo(1.0);
    }

    @Test
    void effectSizesFollowTheirDefinitions() {
        double[] a = {2, 4, 4, 4, 5, 5, 7, 9}; // mean 5, sample variance 32/7
        double[] b = {1, 2, 3}; // mean 2, sample variance 1
        double d = 3 / Math.sqrt((7 * (32.0 / 7) + 2 * 1.0) / 9);
        assertThat(Statistics.cohensD(a, b)).isCloseTo(d, within(1e-12));
        assertThat(Statistics.hedgesG(a, b)).isCloseTo(d * (1 - 3.0 / (4 * 11 - 9)), within(1e-12));
        assertThat(Statistics.cohensD(new double[] {1}, new double[] {2})).isNaN();
    }

    @Test
    void meanIntervalUsesStudentT() {
        // t(0.975, 4) = 2.776445 from any t table; mean 3, sd sqrt(2.5), se sqrt(0.5)
        GroupAggregator.Interval ci = GroupAggregator.meanInterval(new double[] {1, 2, 3, 4, 5}, 0.95);
        assertThat(ci.mean()).isEqualTo(3.0);
        assertThat(ci.std()).isCloseTo(Math.sqrt(2.5), within(1e-12));
        assertThat(ci.stdErr()).isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(ci.low()).isCloseTo(3 - 2.776445 * Math.sqrt(0.5), within(1e-5));
        assertThat(ci.high()).isCloseTo(3 + 2.776445 * Math.sqrt(0.5), within(1e-5));
        GroupAggregator.Interval one = GroupAggregator.meanInterval(new double[] {4}, 0.95);
        assertThat(one.mean()).isEqualTo(4.0);
        assertThat(one.low()).isNaN();
    }
}
