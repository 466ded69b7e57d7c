package dev.vestibule.web;

/**
 * Ends a request with a problem: thrown from a handler or passed to {@code ctx.fail(...)}, it reaches
 * the client as problem+json through {@link Problems#failureHandler()}.
 */
public final class ProblemException extends RuntimeException {
  private final Problem problem;

  public ProblemException(Problem problem) {
    super(problem.title() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
