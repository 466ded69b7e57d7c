package dev.vestibule.identity.mail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Pieces of the mails the identity sends: links that carry a token, and lifetimes in words. */
public final class MailText {
  private MailText() {}

  /** {@code pageUrl} with {@code token=...} added to its query. */
  public static String link(String pageUrl, String token) {
    String separator = pageUrl.contains("?") ? "&" : "?";
    return pageUrl + separator + "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  /** "30 minutes", "2 hours", "45 seconds". */
  public static String describe(Duration d) {
    if (d.toMinutes() >= 120 && d.toMinutesPart() == 0) return d.toHours() + " hours";
    if (d.toMinutes() >= 1 && d.toSecondsPart() == 0) return d.toMinutes() == 1 ? "1 minute" : d.toMinutes() + " minutes";
    return d.toSeconds() + " seconds";
  }
}
