package dev.vestibule.config;

/** How the gateway authenticates to a token endpoint: {@code client_secret_basic} or {@code client_secret_post}. */
public enum ClientAuth { BASIC, POST }
