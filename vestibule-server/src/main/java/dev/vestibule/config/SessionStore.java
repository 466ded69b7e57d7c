package dev.vestibule.config;

/** Where session state lives: sealed inside the cookie, or in Redis with only an id in the cookie. */
public enum SessionStore { COOKIE, REDIS }
