package bitvillage.util.cli;

import java.util.Collection;
import java.util.Locale;

/** The name a reader most likely meant, when what they typed is a slip away from it. */
public final class Nearest {
    private Nearest() {}

    /**
     * The name nearest to {@code typed}, ignoring case, when it is one letter added, dropped or changed
     * away (two in a name longer than four letters); between equally near names, one of the same length
     * (B1O is B10 mistyped rather than B1 with a letter too many). Null when none is that near.
     */
    public static String among(String typed, Collection<String> names) {
        String wanted = typed.toUpperCase(Locale.ROOT);
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String name : names) {
            String candidate = name.toUpperCase(Locale.ROOT);
            int slips = editDistance(wanted, candidate);
            int rank = slips * 2 + (candidate.length() == wanted.length() ? 0 : 1);
            if (slips <= (candidate.length() > 4 ? 2 : 1) && rank < best) {
                best = rank;
                nearest = name;
            }
        }
        return nearest;
    }

    private static int editDistance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) row[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                int change = diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                row[j] = Math.min(change, Math.min(above, row[j - 1]) + 1);
                diagonal = above;
            }
        }
        return row[b.length()];
    }
}
