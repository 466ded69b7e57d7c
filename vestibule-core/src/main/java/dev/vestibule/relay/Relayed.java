package dev.vestibule.relay;

import dev.vestibule.token.TokenSet;

/**
 * The upstream's answer and the tokens in force after the call.
 *
 * @param refreshed true when {@code tokens} differ from those the call started with, so the caller must
 *     store them (set the new session cookie)
 */
public record Relayed<R>(R response, TokenSet tokens, boolean refreshed) {}
