package bitvillage.bench;

import bitvillage.util.python.PyJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a bench run measured: the machine, the figures with their targets, and the nonces each
 * miner found. Shown as a table for a reader, or as JSON for a program.
 *
 * @param machine  cores, Java, operating system, processor, and the load before and after
 * @param quick    a quick run (small chains, short timings): figures shown but not judged
 * @param figures  the measurements, in the order the table shows them
 * @param book     the book-faithful loop's nonces
 * @param fast     the fast miner's nonces, on one thread and on every core
 */
public record Report(Map<String, Object> machine, boolean quick, List<Figure> figures,
                     MiningBench.Found book, Map<String, MiningBench.Found> fast) {

    /** What the book prints: 35293 then 35089 after the genesis nonce 100, and 888273 with five zeros. */
    static final List<Long> BOOK_FOUR_ZEROS = List.of(35293L, 35089L);
    static final long BOOK_FIVE_ZEROS = 888273L;

    /** Did every miner find the same nonces, and are they the ones the book prints? */
    public boolean minersAgree() {
        boolean same = fast.values().stream().allMatch(book::equals);
        return same && book.fourZeros().subList(0, 2).equals(BOOK_FOUR_ZEROS) && book.fiveZeros() == BOOK_FIVE_ZEROS;
    }

    public String table() {
        StringBuilder text = new StringBuilder();
        text.append("Bit Village bench").append(quick ? " (--quick: small chains, short timings, targets not judged)" : "").append('\n');
        text.append(String.format(Locale.ROOT, "machine: %s cores, %s, Java %s (%s), %s%n", machine.get("cores"),
                machine.get("cpu"), machine.get("java"), machine.get("vm"), machine.get("os")));
        text.append(String.format(Locale.ROOT, "load average: %s before the bench, %s after it (its own work included)%n",
                machine.get("load_before"), machine.get("load_after")));
        if (busy()) text.append("other programs were using the cores: figures are lower than an idle machine gives\n");
        text.append('\n');
        String format = "%-52s %18s  %-18s %s%n";
        text.append(String.format(Locale.ROOT, format, "figure", "measured", "target", "verdict"));
        for (Figure figure : figures) {
            String target = figure.target() == null ? "" : figure.target().text(figure.unit(), figure.decimals());
            text.append(String.format(Locale.ROOT, format, figure.label(), figure.shown(), target,
                    figure.verdict(!quick)).stripTrailing()).append('\n');
        }
        text.append('\n');
        text.append("nonces found, four zeros, from the genesis nonce 100:\n");
        text.append(String.format(Locale.ROOT, "  %-28s %s%n", "book-faithful loop", book.fourZeros()));
        fast.forEach((threads, found) -> text.append(String.format(Locale.ROOT, "  %-28s %s%n",
                "fast miner, " + threads, found.fourZeros())));
        text.append("nonce found, five zeros, from 100:\n");
        text.append(String.format(Locale.ROOT, "  %-28s %d%n", "book-faithful loop", book.fiveZeros()));
        fast.forEach((threads, found) -> text.append(String.format(Locale.ROOT, "  %-28s %d%n",
                "fast miner, " + threads, found.fiveZeros())));
        text.append(minersAgree()
                ? "every miner found the same nonces, and the book's: 35293, 35089, and 888273 with five zeros\n"
                : "THE MINERS DISAGREE, or differ from the book's 35293, 35089 and 888273\n");
        return text.toString();
    }

    public String json() {
        Map<String, Object> figuresByKey = new LinkedHashMap<>();
        for (Figure figure : figures) figuresByKey.put(figure.key(), figure.json(!quick));
        Map<String, Object> fourZeros = new LinkedHashMap<>();
        Map<String, Object> fiveZeros = new LinkedHashMap<>();
        fourZeros.put("book_faithful", book.fourZeros());
        fiveZeros.put("book_faithful", book.fiveZeros());
        fast.forEach((threads, found) -> {
            String key = "fast_" + threads.replace(' ', '_');
            fourZeros.put(key, found.fourZeros());
            fiveZeros.put(key, found.fiveZeros());
        });
        Map<String, Object> nonces = new LinkedHashMap<>();
        nonces.put("four_zeros_from_100", fourZeros);
        nonces.put("five_zeros_from_100", fiveZeros);
        nonces.put("agree", minersAgree());

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", machine);
        report.put("quick", quick);
        report.put("figures", figuresByKey);
        report.put("nonces", nonces);
        return PyJson.pretty(report) + "\n";
    }

    /**
     * A load average above half the cores before we start means other programs took a good share
     * of them. (The load after the bench counts the bench itself, which keeps every core busy.)
     */
    private boolean busy() {
        double cores = ((Number) machine.get("cores")).doubleValue();
        return machine.get("load_before") instanceof Number load && load.doubleValue() > cores / 2;
    }
}
