package bitvillage.util.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command-line options of a stage: {@code --zeros 5}, {@code --port 5002}, {@code --neighbour URL}. */
public final class Options {

    /**
     * One option a stage accepts; {@code valueName} is null for a flag without a value. A name without
     * a leading dash, such as {@code TEXT}, collects the words given without a dash, in order. An
     * option may say what it is when not given ({@code fallback}, with a {@code note} on it, such as
     * "as in the book") and, for a whole number, the {@code range} it takes: {@link #describe} prints
     * them, and {@link Options#number(Option)} and {@link Options#text(Option)} read the option by them.
     */
    public record Option(String name, String valueName, String help, String fallback, String note, Range range) {
        /** The smallest and the largest whole number an option takes. */
        public record Range(int min, int max) {}

        /** An option that says no default or range of its own: a flag, or a value its command reads itself. */
        public Option(String name, String valueName, String help) {
            this(name, valueName, help, null, null, null);
        }

        /** A whole number from {@code min} to {@code max}, {@code fallback} when not given. */
        public static Option number(String name, String valueName, String help, int fallback, int min, int max) {
            return new Option(name, valueName, help, Integer.toString(fallback), null, new Range(min, max));
        }

        /** A value that is {@code fallback} when not given. */
        public static Option text(String name, String valueName, String help, String fallback) {
            return new Option(name, valueName, help, fallback, null, null);
        }

        /** The same option, its default explained: "as in the book". */
        public Option noting(String note) {
            return new Option(name, valueName, help, fallback, note, range);
        }

        /**
         * The same number, taking nothing under {@code min} when that is above its range's least: a
         * least that another option's value sets, such as twice {@code --block-bytes}.
         */
        public Option atLeast(int min) {
            if (range == null) throw new IllegalArgumentException(name + " has no range to raise");
            return new Option(name, valueName, help, fallback, note, new Range(Math.max(min, range.min()), range.max()));
        }

        /** The same option with another default, and no note yet. */
        public Option withDefault(Object fallback) {
            return new Option(name, valueName, help, String.valueOf(fallback), null, range);
        }

        public boolean collectsWords() {
            return !name.startsWith("-");
        }

        /** The help, with the range and the default: "... (1 to 12, default 4, as in the book)". */
        String described() {
            List<String> more = new ArrayList<>();
            if (range != null) more.add(range.min() + " to " + range.max());
            if (fallback != null) more.add("default " + fallback + (note == null ? "" : ", " + note));
            return more.isEmpty() ? help : help + " (" + String.join(", ", more) + ")";
        }
    }

    /** A command line we cannot run: the launcher shows the message and exits with status 2. */
    public static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UsageError(String message) {
            super(message);
        }
    }

    public static final Option HELP = new Option("--help", null, "explain this stage's options and stop");

    private final Map<String, List<String>> given;

    private Options(Map<String, List<String>> given) {
        this.given = given;
    }

    /** Reads {@code --port 5001} and {@code --port=5001} alike; after {@code --}, every word is a word. */
    public static Options parse(String[] args, List<Option> accepted) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        Option words = accepted.stream().filter(Option::collectsWords).findFirst().orElse(null);
        boolean onlyWords = false;
        for (int i = 0; i < args.length; i++) {
            if (words != null && args[i].equals("--") && !onlyWords) {
                onlyWords = true;
                continue;
            }
            if (words != null && (onlyWords || !args[i].startsWith("-"))) {
                given.computeIfAbsent(words.name(), name -> new ArrayList<>()).add(args[i]);
                continue;
            }
            int equals = args[i].indexOf('=');
            String inline = args[i].startsWith("--") && equals > 0 ? args[i].substring(equals + 1) : null;
            Option option = find(inline == null ? args[i] : args[i].substring(0, equals), accepted);
            String value = null;
            if (option.valueName() == null) {
                if (inline != null) throw new UsageError(option.name() + " takes no value: " + args[i]);
            } else if (inline != null) {
                value = inline;
            } else {
                if (i + 1 >= args.length) throw new UsageError(option.name() + " needs a value: " + option.valueName());
                value = args[++i];
            }
            given.computeIfAbsent(option.name(), name -> new ArrayList<>()).add(value);
        }
        return new Options(given);
    }

    private static Option find(String arg, List<Option> accepted) {
        if (arg.equals(HELP.name())) return HELP;
        for (Option option : accepted) {
            if (option.name().equals(arg)) return option;
        }
        throw new UsageError("unknown option: " + arg);
    }

    public boolean has(String name) {
        return given.containsKey(name);
    }

    /** The last value given for {@code name}, or {@code fallback}. */
    public String text(String name, String fallback) {
        List<String> values = given.get(name);
        return values == null ? fallback : values.get(values.size() - 1);
    }

    /** Every value given for a repeatable option, in order. */
    public List<String> all(String name) {
        return given.getOrDefault(name, List.of());
    }

    /** The option's value, or its default when not given. */
    public String text(Option option) {
        return text(option.name(), option.fallback());
    }

    /** The option's whole number, in its range, or its default when not given. */
    public int number(Option option) {
        if (option.range() == null || option.fallback() == null) {
            throw new IllegalArgumentException(option.name() + " has no range or no default: read it with number(name, ...)");
        }
        return number(option.name(), Integer.parseInt(option.fallback()), option.range().min(), option.range().max());
    }

    /** A whole number between {@code min} and {@code max}, or {@code fallback} when not given. */
    public int number(String name, int fallback, int min, int max) {
        String text = text(name, null);
        if (text == null) return fallback;
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new UsageError(name + " takes a whole number from " + min + " to " + max + ", not '" + text + "'");
    }

    /** The help text for a list of options, one per line. */
    public static String describe(List<Option> accepted) {
        StringBuilder text = new StringBuilder();
        List<Option> all = new ArrayList<>(accepted);
        all.add(HELP);
        for (Option option : all) {
            String left = option.collectsWords() ? option.valueName()
                    : option.valueName() == null ? option.name() : option.name() + " " + option.valueName();
            text.append(String.format("  %-16s %s%n", left, option.described()));
        }
        return text.toString();
    }
}
