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

  /** Edit distance where swapping two adjacent letters counts as one edit (optimal string alignment). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
