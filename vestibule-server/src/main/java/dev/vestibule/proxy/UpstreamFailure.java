package dev.vestibule.proxy;

/** Why a request could not be forwarded; each maps to one status the client sees. */
final class UpstreamFailure extends RuntimeException {
  enum Kind { UNREACHABLE, TIMEOUT, BODY_TOO_LARGE }

  final Kind kind;

  UpstreamFailure(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }
}
