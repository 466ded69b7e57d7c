package dev.vestibule.refresh;

/** What a refresh coordinator reports, for metrics. */
public interface RefreshObserver {
  enum Outcome { OK, REJECTED, TRANSIENT }

  /** One call to the provider finished. */
  void refreshed(Outcome outcome);

  /** A caller got another caller's refresh result instead of calling the provider. */
  void coalesced();

  RefreshObserver NONE = new RefreshObserver() {
    @Override public void refreshed(Outcome outcome) {}
    @Override public void coalesced() {}
  };
}
