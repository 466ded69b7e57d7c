package dev.vestibule.config;

/** Who authenticates users: the built-in identity, an OAuth2 token endpoint (password grant), or an OIDC provider. */
public enum IdentityType { BUILTIN, OAUTH2, OIDC }
