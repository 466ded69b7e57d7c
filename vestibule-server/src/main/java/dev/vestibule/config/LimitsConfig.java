package dev.vestibule.config;

import java.util.Objects;

/** Rate limits: login attempts, registrations, and magic-link / MFA / reset code verifications. */
public record LimitsConfig(RateLimit login, RateLimit register, RateLimit codes) {

  public LimitsConfig {
    Objects.requireNonNull(login, "login");
    Objects.requireNonNull(register, "register");
    Objects.requireNonNull(codes, "codes");
  }
}
