package bitvillage.util.python;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A double written exactly as CPython's {@code repr(float)} writes it, which is also what
 * {@code json.dumps} writes. Block hashes depend on every byte, so "close" is not enough.
 */
public final class PyFloat {
    private PyFloat() {}

    public static String repr(double value) {
        if (Double.isNaN(value)) return "NaN";
        if (Double.isInfinite(value)) return value > 0 ? "Infinity" : "-Infinity";
        if (value == 0) return (1 / value < 0) ? "-0.0" : "0.0";

        // Java 17's Double.toString sometimes picks more digits than needed (fixed in JDK 19);
        // Jackson's Schubfach writer gives the shortest digits that round-trip, as CPython does.
        BigDecimal shortest = shortestDigits(value);
        String digits = shortest.unscaledValue().abs().toString();
        // The value is 0.DIGITS x 10^pointPosition.
        int pointPosition = digits.length() - shortest.scale();
        String sign = value < 0 ? "-" : "";

        // CPython's repr switches to exponent notation outside 1e-4 <= |x| < 1e16.
        if (pointPosition <= -4 || pointPosition > 16) {
            int exponent = pointPosition - 1;
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exponentDigits = String.format("%02d", Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exponentDigits;
        }
        if (pointPosition <= 0) {
            return sign + "0." + "0".repeat(-pointPosition) + digits;
        }
        if (pointPosition >= digits.length()) {
            return sign + digits + "0".repeat(pointPosition - digits.length()) + ".0";
        }
        return sign + digits.substring(0, pointPosition) + "." + digits.substring(pointPosition);
    }

    /**
     * Java's layout wants two significant digits where one would do, so for a few subnormals
     * (Double.MIN_VALUE is "4.9E-324") it picks the closest two digits rather than the shortest.
     * CPython picks the shortest ("5e-324"), so we try one digit first.
     */
    private static BigDecimal shortestDigits(double value) {
        BigDecimal twoOrMore = new BigDecimal(NumberOutput.toString(value, true)).stripTrailingZeros();
        if (twoOrMore.precision() != 2) return twoOrMore;
        BigDecimal exact = new BigDecimal(value);
        BigDecimal best = null;
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
            BigDecimal oneDigit = twoOrMore.round(new MathContext(1, mode));
            if (oneDigit.doubleValue() != value) continue;
            if (best == null || oneDigit.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0) best = oneDigit;
        }
        return best == null ? twoOrMore : best.stripTrailingZeros();
    }
}
