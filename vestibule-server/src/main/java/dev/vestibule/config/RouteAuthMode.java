package dev.vestibule.config;

/** What a route requires from the caller. */
public enum RouteAuthMode { REQUIRED, OPTIONAL, NONE, API_KEY }
