package dev.replica.backend.run;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

/**
 * One resolved parameter of a run, flattened so the read model can filter and group on it.
 * {@code valueNum} holds numbers (and is null otherwise) so numeric filters compare as numbers.
 */
@Embeddable
public class RunParam {

    public enum Type {
        INT,
        FLOAT,
        STRING,
        BOOL
    }

    @Column(name = "name", nullable = false, length = 200)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(name = "value_type", nullable = false, length = 8)
    public Type valueType;

    @Column(name = "value_text", nullable = false, length = 4000)
    public String valueText;

    @Column(name = "value_num")
    public Double valueNum;

    protected RunParam() {}

    public static RunParam of(String name, Object value) {
        RunParam p = new RunParam();
        p.name = name;
        if (value instanceof Long l) {
            p.valueType = Type.INT;
            p.valueNum = l.doubleValue();
        } else if (value instanceof Double d) {
            p.valueType = Type.FLOAT;
            p.valueNum = d;
        } else if (value instanceof Boolean) {
            p.valueType = Type.BOOL;
        } else {
            p.valueType = Type.STRING;
        }
        p.valueText = String.valueOf(value);
        return p;
    }

    /** The value as the spec gave it: Long, Double, Boolean or String. */
    public Object value() {
        return decode(valueType.name(), valueText);
    }

    /**
     * A stored value back in its type, from the {@code value_type} and {@code value_text} columns (as the read
     * model and bundles carry them): Long, Double, Boolean, or the text for STRING and any unknown type.
     */
    public static Object decode(String type, String text) {
        return switch (type) {
            case "INT" -> Long.parseLong(text);
            case "FLOAT" -> Double.parseDouble(text);
            case "BOOL" -> Boolean.parseBoolean(text);
            default -> text;
        };
    }
}
