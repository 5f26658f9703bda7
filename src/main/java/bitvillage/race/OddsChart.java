package bitvillage.race;

import java.util.List;
import java.util.Locale;

/**
 * The chart on the supplement's page: P against z, on a log scale, for several shares q, the
 * exact chance as a solid line and the whitepaper's formula dashed. Written as plain SVG text, the
 * same bytes on every machine (the formulas use {@link StrictMath}), so a test can compare the
 * committed file with what the command writes.
 */
final class OddsChart {
    private OddsChart() {}

    private static final double[] SHARES = {0.10, 0.20, 0.30, 0.40, 0.45};
    private static final String[] COLOURS = {"#1f77b4", "#2ca02c", "#ff7f0e", "#d62728", "#9467bd"};
    static final String SHARES_SHOWN = "0.1, 0.2, 0.3, 0.4 and 0.45";

    private static final int WIDTH = 760;
    private static final int HEIGHT = 500;
    private static final double LEFT = 80;
    private static final double RIGHT = 600;
    private static final double TOP = 50;
    private static final double BOTTOM = 440;
    private static final int MAX_Z = 60;
    private static final int LOWEST_DECADE = -12; // the chart's bottom edge is P = 1e-12

    static String svg() {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<title>P, the chance that an attacker with share q catches up from z confirmations</title>\n");
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<clipPath id=\"plot\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/></clipPath>%n",
                LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"28\" text-anchor=\"middle\" font-size=\"15\">"
                + "P, the chance of ever catching up from z confirmations</text>%n", (LEFT + RIGHT) / 2));
        grid(svg);
        for (int i = 0; i < SHARES.length; i++) {
            curve(svg, Odds::lnExact, SHARES[i], COLOURS[i], "");
            curve(svg, Odds::lnNakamoto, SHARES[i], COLOURS[i], " stroke-dasharray=\"6 4\"");
        }
        legend(svg);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double x(double z) {
        return LEFT + z * (RIGHT - LEFT) / MAX_Z;
    }

    private static double y(double log10) {
        return TOP + log10 * (BOTTOM - TOP) / LOWEST_DECADE;
    }

    private static void grid(StringBuilder svg) {
        svg.append("<g stroke=\"#dddddd\">\n");
        for (int decade = 0; decade >= LOWEST_DECADE; decade--) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>%n",
                    LEFT, y(decade), RIGHT, y(decade)));
        }
        for (int z = 0; z <= MAX_Z; z += 10) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>%n",
                    x(z), TOP, x(z), BOTTOM));
        }
        svg.append("</g>\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"black\"/>%n",
                LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP));
        svg.append("<g text-anchor=\"end\">\n");
        for (int decade = 0; decade >= LOWEST_DECADE; decade -= 2) {
            String label = decade == 0 ? "1" : decade == -2 ? "0.01" : "1e" + decade;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n", LEFT - 6, y(decade) + 4, label));
        }
        svg.append("</g>\n<g text-anchor=\"middle\">\n");
        for (int z = 0; z <= MAX_Z; z += 10) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%d</text>%n", x(z), BOTTOM + 18, z));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">z, confirmations</text>%n",
                (LEFT + RIGHT) / 2, BOTTOM + 42));
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(22 %.1f) rotate(-90)\">P (log scale)</text>%n",
                (TOP + BOTTOM) / 2));
        svg.append("</g>\n");
        // The whitepaper's third table asks for P below 0.1%.
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\" stroke-dasharray=\"1 3\"/>%n",
                LEFT, y(-3), RIGHT, y(-3)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">0.1%%</text>%n",
                RIGHT - 4, y(-3) - 5));
        // The book's six confirmations.
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\" stroke-dasharray=\"1 3\"/>%n",
                x(6), TOP, x(6), BOTTOM));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">z = 6</text>%n", x(6) + 4, BOTTOM - 6));
    }

    /** One formula for one share, z = 0 to the chart's edge, cut off where it leaves the plot. */
    private static void curve(StringBuilder svg, Odds.Formula formula, double q, String colour, String dashes) {
        StringBuilder points = new StringBuilder();
        for (int z = 0; z <= MAX_Z; z++) {
            double log10 = formula.ln(q, z) / StrictMath.log(10);
            if (z > 0) points.append(' ');
            points.append(String.format(Locale.ROOT, "%.1f,%.1f", x(z), y(Math.max(log10, 2 * LOWEST_DECADE))));
        }
        svg.append(String.format(Locale.ROOT, "<polyline clip-path=\"url(#plot)\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>%n",
                colour, dashes, points));
    }

    private static void legend(StringBuilder svg) {
        double left = RIGHT + 20;
        double top = TOP + 10;
        for (int i = 0; i < SHARES.length; i++) {
            double y = top + 22 * i;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    left, y, left + 28, y, COLOURS[i]));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">q = %.2f</text>%n", left + 36, y + 4, SHARES[i]));
        }
        double y = top + 22 * SHARES.length + 20;
        for (String[] style : List.of(new String[] {"", "exact"}, new String[] {" stroke-dasharray=\"6 4\"", "whitepaper"})) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\" stroke-width=\"2\"%s/>%n",
                    left, y, left + 28, y, style[0]));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n", left + 36, y + 4, style[1]));
            y += 22;
        }
    }
}
