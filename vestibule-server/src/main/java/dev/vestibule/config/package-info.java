/**
 * The gateway's YAML configuration: {@link dev.vestibule.config.ConfigLoader} reads a file into an
 * immutable {@link dev.vestibule.config.VestibuleConfig}, or fails with one
 * {@link dev.vestibule.config.ConfigException} whose message names the key and the fix.
 *
 * <p>Conventions shared by every key: {@code ${VAR}} and {@code ${VAR:-default}} are substituted in
 * string values after YAML parsing ({@code $${} writes a literal {@code ${}); a value that is null
 * or empty after substitution counts as not set, so its default applies.
 */
package dev.vestibule.config;
