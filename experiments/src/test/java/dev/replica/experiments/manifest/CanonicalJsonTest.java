package dev.replica.experiments.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void sameContentInDifferentKeyOrderGivesSameBytesAndHash() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("zeta", 1);
        a.put("alpha", Map.of("y", 2.5, "x", List.of(1, "two", true)));
        a.put("mid", null);
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("x", List.of(1L, "two", true));
        inner.put("y", 2.5);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("mid", null);
        b.put("alpha", inner);
        b.put("zeta", 1L);

        assertThat(CanonicalJson.bytes(a)).isEqualTo(CanonicalJson.bytes(b));
        assertThat(CanonicalJson.sha256(a)).isEqualTo(CanonicalJson.sha256(b)).hasSize(64);
        assertThat(CanonicalJson.write(a))
                .isEqualTo("{\"alpha\":{\"x\":[1,\"two\",true],\"y\":2.5},\"mid\":null,\"zeta\":1}");
    }

    @Test
    void knownAnswerHashOfTheEmptyObject() {
        // SHA-256 of the two bytes "{}"
        assertThat(CanonicalJson.sha256(Map.of()))
                .isEqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    }

    @Test
    void roundTripsThroughParseToTheSameBytes() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("int", 42);
        tree.put("negative", -7L);
        tree.put("big", new BigInteger("123456789012345678901234567890"));
        tree.put("double", 0.1);
        tree.put("wholeDouble", 3.0);
        tree.put("tiny", 1.5e-9);
        tree.put("huge", 6.02214076e23);
        tree.put("negZero", -0.0);
        tree.put("nan", Double.NaN);
        tree.put("text", "línea\n\t\"quoted\" \\ \u0001 😀");
        tree.put("list", List.of(List.of(), Map.of(), false));
        String canonical = CanonicalJson.write(tree);

        Object parsed = CanonicalJson.parse(canonical);

        assertThat(CanonicalJson.write(parsed)).isEqualTo(canonical);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) parsed;
        assertThat(m.get("int")).isEqualTo(42L);
        assertThat(m.get("wholeDouble")).isEqualTo(3.0);
        assertThat(m.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(Double.doubleToRawLongBits((Double) m.get("negZero"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(m.get("nan")).isEqualTo("NaN");
        assertThat(m.get("text")).isEqualTo("línea\n\t\"quoted\" \\ \u0001 😀");
    }

    @Test
    void noncanonicalInputParsesToTheCanonicalForm() {
        String messy = "{ \"b\" : [1, 2.50, 1e2],\n  \"a\": \"\\u0041\" }";
        assertThat(CanonicalJson.write(CanonicalJson.parse(messy))).isEqualTo("{\"a\":\"A\",\"b\":[1,2.5,100.0]}");
    }

    @Test
    void formatsNumbersAsDocumented() {
        assertThat(CanonicalJson.write(List.of(0, -12, Long.MAX_VALUE))).isEqualTo("[0,-12,9223372036854775807]");
        assertThat(CanonicalJson.formatDouble(1.0)).isEqualTo("1.0");
        assertThat(CanonicalJson.formatDouble(0.001)).isEqualTo("0.001");
        assertThat(CanonicalJson.formatDouble(123.5)).isEqualTo("123.5");
        assertThat(CanonicalJson.formatDouble(1e20)).isEqualTo("100000000000000000000.0");
        assertThat(CanonicalJson.formatDouble(1e21)).isEqualTo("1.0E21");
        assertThat(CanonicalJson.formatDouble(1e-6)).isEqualTo("0.000001");
        assertThat(CanonicalJson.formatDouble(1.5e-7)).isEqualTo("1.5E-7");
        assertThat(CanonicalJson.formatDouble(-2.5e-300)).isEqualTo("-2.5E-300");
        assertThat(CanonicalJson.formatDouble(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(CanonicalJson.formatDouble(Double.MIN_VALUE)).isEqualTo("5.0E-324");
        assertThat(CanonicalJson.formatDouble(Double.MAX_VALUE)).isEqualTo("1.7976931348623157E308");
        assertThat(CanonicalJson.formatDouble(2.0E-3)).isEqualTo("0.002");
        assertThat(CanonicalJson.formatDouble(1.0E23)).isEqualTo("1.0E23");
        assertThat(CanonicalJson.formatDouble(Double.POSITIVE_INFINITY)).isEqualTo("\"Infinity\"");
        assertThat(CanonicalJson.formatDouble(Double.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
        assertThat(CanonicalJson.write(0.1f)).isEqualTo("0.10000000149011612");
    }

    @Test
    void everyDoubleReadsBackToTheSameBitsAndNeverHasMoreDigitsThanTheJdksForm() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            double d = i % 2 == 0
                    ? Double.longBitsToDouble(random.nextLong())
                    : random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
            if (!Double.isFinite(d)) {
                continue;
            }
            String s = CanonicalJson.formatDouble(d);
            assertThat(Double.doubleToRawLongBits(Double.parseDouble(s)))
                    .as("%s from %s", s, Double.toString(d))
                    .isEqualTo(Double.doubleToRawLongBits(d));
            assertThat(significantDigits(s)).as(s).isLessThanOrEqualTo(significantDigits(Double.toString(d)));
        }
    }

    private static int significantDigits(String s) {
        String mantissa = s.replace("-", "").split("E")[0].replace(".", "");
        mantissa = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
        return Math.max(1, mantissa.length());
    }

    @Test
    void escapesControlCharactersAndLoneSurrogatesAndWritesUtf8() {
        String s = CanonicalJson.write("a\u001fb\ud800c\u2028é");
        assertThat(s).isEqualTo("\"a\\u001fb\\ud800c\u2028é\"");
        assertThat(CanonicalJson.bytes("é")).isEqualTo("\"é\"".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsValuesWithoutACanonicalForm() {
        assertThatThrownBy(() -> CanonicalJson.write(new HashSet<>(List.of(1, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no canonical JSON form for java.util.HashSet");
        assertThatThrownBy(() -> CanonicalJson.write(Map.of(1, "x")))
                .hasMessage("JSON object keys must be strings, got java.lang.Integer 1");
    }

    @Test
    void parseRejectsDuplicateKeysAndTrailingGarbage() {
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":1,\"a\":2}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> CanonicalJson.parse("{} x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not valid JSON");
    }
}
