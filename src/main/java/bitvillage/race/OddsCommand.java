package bitvillage.race;

import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyFloat;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar target/bitvillage.jar odds}: the chance that an attacker with share q of the
 * hashing power ever catches up from z confirmations, by the whitepaper's formula, exactly, and by
 * simulated races; and the chance that it gets one block ahead. {@code --whitepaper} sets the
 * paper's printed tables beside ours, {@code --json} prints rows for a program, {@code --svg}
 * draws the chart the page shows.
 */
public final class OddsCommand {
    private OddsCommand() {}

    static final int MAX_Z = 10_000;

    private static final Options.Option Q = Options.Option.text("--q", "Q",
            "the attacker's share of the hashing power, 0 <= Q < 1", "0.3");
    private static final Options.Option Z = Options.Option.text("--z", "LIST", "confirmations: 6, 0,1,2, 0..10 or 0..50:5", "0..10");
    private static final Options.Option TRIALS = Options.Option.number("--trials", "N",
            "races simulated per row, 0 for none", 100_000, 0, 10_000_000);
    private static final Options.Option SEED = Options.Option.text("--seed", "S", "the seed of the races' lottery, a whole number", "1");

    public static final List<Options.Option> OPTIONS = List.of(Q, Z, TRIALS, SEED,
            new Options.Option("--whitepaper", null, "the whitepaper's three tables, each printed figure beside ours"),
            new Options.Option("--json", null, "print the rows as JSON"),
            new Options.Option("--svg", "FILE", "write a chart of P against z for several q to FILE, and nothing else"));

    public static void run(Options options, World world) {
        int trials = options.number(TRIALS);
        long seed = seed(options.text(SEED));
        if (options.has("--svg")) {
            for (String other : List.of("--q", "--z", "--trials", "--seed", "--whitepaper", "--json")) {
                if (options.has(other)) throw new UsageError("--svg draws its own rows; leave out " + other);
            }
            writeChart(options.text("--svg", null), world);
        } else if (options.has("--whitepaper")) {
            for (String other : List.of("--q", "--z", "--json")) {
                if (options.has(other)) throw new UsageError("--whitepaper prints the paper's own rows; leave out " + other);
            }
            world.out().print(whitepaper(trials, seed));
        } else {
            BigDecimal q = share(options.text(Q));
            List<Integer> zs = confirmations(options.text(Z));
            world.out().print(options.has("--json") ? json(q.doubleValue(), zs, trials, seed) : table(q, zs, trials, seed));
        }
    }

    // ---- reading the options

    private static final Pattern DECIMAL = Pattern.compile("\\d+(\\.\\d+)?|\\.\\d+");
    private static final Pattern RANGE = Pattern.compile("(\\d+)\\.\\.(\\d+)(?::(\\d+))?");

    /** A share from 0 up to, but not including, 1, written as a plain decimal. */
    static BigDecimal share(String text) {
        if (DECIMAL.matcher(text).matches()) {
            BigDecimal q = new BigDecimal(text);
            if (q.compareTo(BigDecimal.ONE) < 0) return q;
        }
        throw new UsageError("--q takes a share of the hashing power from 0 up to (not including) 1, such as 0.3, not '"
                + text + "'");
    }

    /** {@code 6}, {@code 0,1,2}, {@code 0..10}, {@code 0..50:5}, or several of these joined by commas. */
    static List<Integer> confirmations(String text) {
        List<Integer> zs = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Matcher range = RANGE.matcher(part);
            if (part.matches("\\d+")) {
                zs.add(confirmation(part, text));
            } else if (range.matches()) {
                int from = confirmation(range.group(1), text);
                int to = confirmation(range.group(2), text);
                int step = range.group(3) == null ? 1 : confirmation(range.group(3), text);
                if (from > to || step == 0) throw zUsage(text);
                for (int z = from; z <= to; z += step) zs.add(z);
            } else {
                throw zUsage(text);
            }
        }
        return zs;
    }

    private static int confirmation(String digits, String text) {
        if (digits.length() > 5 || Integer.parseInt(digits) > MAX_Z) throw zUsage(text);
        return Integer.parseInt(digits);
    }

    private static UsageError zUsage(String text) {
        return new UsageError("--z takes confirmations from 0 to " + MAX_Z + " as 6, 0,1,2, 0..10 or 0..50:5, not '"
                + text + "'");
    }

    private static long seed(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageError("--seed takes a whole number, not '" + text + "'");
        }
    }

    // ---- the table

    static String table(BigDecimal q, List<Integer> zs, int trials, long seed) {
        double share = q.doubleValue();
        StringBuilder text = new StringBuilder();
        text.append("q = ").append(q.toPlainString()).append(": the attacker's share of the hashing power (the honest villagers have ")
                .append(BigDecimal.ONE.subtract(q).toPlainString()).append(").\n");
        text.append("P is the chance that the attacker ever catches up from z confirmations; \"ahead\", that it ever\n");
        text.append("gets one block ahead, which a node that keeps the first chain it saw requires (stage B13).\n\n");
        List<String> header = new ArrayList<>(List.of("z", "nakamoto", "exact"));
        if (trials > 0) header.addAll(List.of("simulated", INTERVAL));
        header.add("ahead");
        if (trials > 0) header.add("simulated");
        text.append(line(header));
        for (int z : zs) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(z),
                    lnChance(Odds.lnNakamoto(share, z)), lnChance(Odds.lnExact(share, z))));
            Odds.Simulated simulated = trials > 0 ? Odds.simulate(share, z, trials, seed) : null;
            if (simulated != null) {
                cells.add(chance(simulated.caughtUpShare()));
                cells.add(interval(Odds.wilson(simulated.caughtUp(), trials, Odds.Z_95)));
            }
            cells.add(lnChance(Odds.lnAhead(share, z)));
            if (simulated != null) cells.add(chance(simulated.gotAheadShare()));
            text.append(line(cells));
        }
        text.append('\n');
        if (share >= 0.5) {
            text.append("With q >= 0.5 the attacker catches up and gets ahead for sure (the paper's q_z = 1 when p <= q),\n");
            text.append("so the formulas print 1");
            text.append(trials > 0 ? "; a simulated attacker can still give up first.\n" : ".\n");
        }
        text.append(SOURCES);
        if (trials > 0) text.append(races(trials, seed));
        return text.toString();
    }

    static final String SOURCES = "nakamoto: the whitepaper's formula (section 11), as its C code computes it\n"
            + "exact: Rosenfeld (2014), the same as Grunspan and Pérez-Marco (2017)\n";

    private static String races(int trials, long seed) {
        return String.format(Locale.ROOT, "simulated: %,d races per row from seed %d, each run until the attacker gets ahead\n"
                + "or falls 100 + z blocks behind; the interval is Wilson's\n", trials, seed);
    }

    private static final String INTERVAL = "95% interval";

    /** One row of a table: z right-aligned, then a column for each chance, a wider one for an interval. */
    private static String line(List<String> cells) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%5s", cells.get(0)));
        for (String cell : cells.subList(1, cells.size())) {
            int width = cell.equals(INTERVAL) || cell.startsWith("[") ? 22 : 9;
            row.append("  ").append(String.format(Locale.ROOT, "%-" + width + "s", cell));
        }
        return row.toString().stripTrailing() + "\n";
    }

    private static String interval(Odds.Interval interval) {
        return "[" + chance(interval.low()) + ", " + chance(interval.high()) + "]";
    }

    /** A chance the way the paper prints it, 7 decimals; a smaller one as 6.21e-15; nothing at all as 0. */
    static String chance(double value) {
        if (value == 0) return "0";
        if (value >= 1e-7) return String.format(Locale.ROOT, "%.7f", value);
        return String.format(Locale.ROOT, "%.2e", value);
    }

    /** The same from a natural logarithm, which may be far below the smallest double. */
    static String lnChance(double ln) {
        if (ln == Double.NEGATIVE_INFINITY) return "0";
        if (ln > -690) return chance(StrictMath.exp(ln)); // e^-690 is about 1e-300, still a normal double
        double log10 = ln / StrictMath.log(10);
        long exponent = (long) Math.floor(log10);
        String mantissa = String.format(Locale.ROOT, "%.2f", StrictMath.pow(10, log10 - exponent));
        if (mantissa.equals("10.00")) {
            mantissa = "1.00";
            exponent++;
        }
        return mantissa + "e" + exponent;
    }

    // ---- the whitepaper's tables

    static String whitepaper(int trials, long seed) {
        StringBuilder text = new StringBuilder();
        text.append("The Bitcoin whitepaper (Nakamoto 2008), section 11 \"Calculations\": its three tables, each\n");
        text.append("printed figure beside ours. printed: the paper's figure; nakamoto: the paper's formula computed\n");
        text.append("here; exact: the true chance of catching up; ahead: of getting one block ahead.\n");
        int same = 0;
        List<String> differ = new ArrayList<>();
        for (double q : List.of(Whitepaper.FIRST_Q, Whitepaper.SECOND_Q)) {
            List<Whitepaper.Line> printed = q == Whitepaper.FIRST_Q ? Whitepaper.FIRST : Whitepaper.SECOND;
            text.append("\nq=").append(BigDecimal.valueOf(q).toPlainString()).append('\n');
            List<String> header = new ArrayList<>(List.of("z", "printed", "nakamoto", "exact", "ahead"));
            if (trials > 0) header.addAll(List.of("simulated", INTERVAL));
            text.append(line(header));
            for (Whitepaper.Line paper : printed) {
                String ours = lnChance(Odds.lnNakamoto(q, paper.z()));
                if (ours.equals(paper.printed())) same++;
                else differ.add("q=" + q + " z=" + paper.z());
                List<String> cells = new ArrayList<>(List.of(Integer.toString(paper.z()), paper.printed(), ours,
                        lnChance(Odds.lnExact(q, paper.z())), lnChance(Odds.lnAhead(q, paper.z()))));
                if (trials > 0) {
                    Odds.Simulated simulated = Odds.simulate(q, paper.z(), trials, seed);
                    cells.add(chance(simulated.caughtUpShare()));
                    cells.add(interval(Odds.wilson(simulated.caughtUp(), trials, Odds.Z_95)));
                }
                text.append(line(cells));
            }
        }
        text.append("\nP < 0.001: the fewest confirmations that bring the chance below 0.1%\n");
        text.append(String.format(Locale.ROOT, "%6s  %7s  %8s  %5s  %5s%n", "q", "printed", "nakamoto", "exact", "ahead"));
        for (Whitepaper.Fewest paper : Whitepaper.THIRD) {
            double q = paper.q();
            int ours = Odds.fewestConfirmations(Odds::lnNakamoto, q, Whitepaper.THIRD_LIMIT);
            if (ours == paper.z()) same++;
            else differ.add("P < 0.001 for q=" + q);
            text.append(String.format(Locale.ROOT, "%6.2f  %7d  %8d  %5d  %5d%n", q, paper.z(), ours,
                    Odds.fewestConfirmations(Odds::lnExact, q, Whitepaper.THIRD_LIMIT),
                    Odds.fewestConfirmations(Odds::lnAhead, q, Whitepaper.THIRD_LIMIT)));
        }
        text.append('\n');
        text.append(differ.isEmpty()
                ? "The nakamoto column reproduces all " + same + " printed figures, to the last digit printed.\n"
                : "THE NAKAMOTO COLUMN DIFFERS FROM THE PAPER at " + String.join(", ", differ) + "\n");
        text.append(SOURCES);
        if (trials > 0) text.append(races(trials, seed));
        return text.toString();
    }

    // ---- JSON

    /**
     * One object per row, its fields in the order issue 10 lists them; the simulation's only when
     * it ran. The formulas' figures are rounded to 12 significant digits, as far as their sums of
     * logarithms are accurate (so q = 0.1, z = 1 gives exactly 0.2).
     */
    static String json(double q, List<Integer> zs, int trials, long seed) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < zs.size(); i++) {
            int z = zs.get(i);
            text.append(i == 0 ? "\n" : ",\n");
            text.append("  {\"q\": ").append(PyFloat.repr(q)).append(", \"z\": ").append(z)
                    .append(", \"nakamoto\": ").append(twelveDigits(Odds.nakamoto(q, z)))
                    .append(", \"exact\": ").append(twelveDigits(Odds.exact(q, z)));
            if (trials > 0) {
                Odds.Simulated simulated = Odds.simulate(q, z, trials, seed);
                Odds.Interval interval = Odds.wilson(simulated.caughtUp(), trials, Odds.Z_95);
                text.append(", \"simulated\": ").append(PyFloat.repr(simulated.caughtUpShare()))
                        .append(", \"low\": ").append(PyFloat.repr(interval.low()))
                        .append(", \"high\": ").append(PyFloat.repr(interval.high()))
                        .append(", \"trials\": ").append(trials);
            }
            text.append('}');
        }
        return text.append("\n]\n").toString();
    }

    private static String twelveDigits(double value) {
        return PyFloat.repr(new BigDecimal(value).round(new MathContext(12)).doubleValue());
    }

    // ---- the chart

    private static void writeChart(String file, World world) {
        try {
            Files.writeString(Path.of(file), OddsChart.svg(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new StageFailed("cannot write the chart to " + file + ": its folder does not exist");
        } catch (IOException | InvalidPathException e) {
            throw new StageFailed("cannot write the chart to " + file + ": " + e.getMessage());
        }
        world.out().println("Wrote " + file + ": P against z for q = " + OddsChart.SHARES_SHOWN
                + ", exact (solid) and the whitepaper's formula (dashed).");
    }
}
