package bitvillage.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured figure: what it is, its value, and the target it is judged against (none for a
 * figure shown only to explain another).
 *
 * @param key      its name in the JSON output
 * @param label    its name in the table
 * @param value    the measurement
 * @param unit     what the value counts
 * @param decimals digits shown after the point
 * @param target   the target, or null
 */
public record Figure(String key, String label, double value, String unit, int decimals, Target target) {

    /** A bound the figure should reach ({@code atLeast}) or stay under. */
    public record Target(boolean atLeast, double limit) {
        boolean met(double value) {
            return atLeast ? value >= limit : value <= limit;
        }

        String text(String unit, int decimals) {
            return (atLeast ? ">= " : "<= ") + number(limit, decimals) + " " + unit;
        }
    }

    public static Target atLeast(double limit) {
        return new Target(true, limit);
    }

    public static Target atMost(double limit) {
        return new Target(false, limit);
    }

    /** The value as the table shows it, with its unit. */
    public String shown() {
        return number(value, decimals) + " " + unit;
    }

    /**
     * "met", or "missed by 23%": how far short of a lower bound, or how far over an upper one.
     * A figure measured in a quick run, on a smaller chain, is not judged.
     */
    public String verdict(boolean judged) {
        if (target == null) return "";
        if (!judged) return "not judged (--quick)";
        if (target.met(value)) return "met";
        double ratio = target.atLeast() ? 1 - value / target.limit() : value / target.limit() - 1;
        return String.format(Locale.ROOT, "missed by %.0f%%", 100 * ratio);
    }

    /** The figure as JSON fields; {@code met} is null where there is no target or no judging. */
    public Map<String, Object> json(boolean judged) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("label", label.strip()); // the table indents details under their figure
        fields.put("value", rounded(value, decimals));
        fields.put("unit", unit);
        fields.put("target", target == null ? null : target.text(unit, decimals));
        fields.put("met", target == null || !judged ? null : target.met(value));
        return fields;
    }

    static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private static double rounded(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
