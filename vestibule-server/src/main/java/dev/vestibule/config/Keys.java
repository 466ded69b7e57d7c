package dev.vestibule.config;

import java.util.Collection;
import java.util.Locale;

/** Unknown-key errors with a "did you mean" suggestion. */
final class Keys {

    private Keys() {
    }

    static ConfigException unknown(String keyPath, String key, Collection<String> allowed) {
        String suggestion = closest(key, allowed);
        if (suggestion != null) {
            return new ConfigException(keyPath, "unknown key; did you mean '" + suggestion + "'?");
        }
        return new ConfigException(keyPath, "unknown key; allowed keys here are " + String.join(", ", allowed));
    }

    /** The allowed key nearest to {@code key}, if it is close enough to be a likely typo. */
    static String closest(String key, Collection<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : allowed) {
            int d = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best == null) {
            return null;
        }
        int tolerance = Math.max(1, Math.min(3, best.length() / 3));
        return bestDistance <= tolerance ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
