package dev.vestibule.config;

import java.util.Objects;

/** Where a browser navigation goes when no session is usable: a same-origin path without query, like {@code /login}. */
public record LoginConfig(String page) {

  public LoginConfig {
    Objects.requireNonNull(page, "page");
  }
}
