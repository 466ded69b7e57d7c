package dev.vestibule.config;

/** How the access token reaches the upstream. */
public enum RelayMode { BEARER, COOKIE, NONE }
