package dev.vestibule.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.identity.IdentityService;
import dev.vestibule.identity.IdentitySettings;
import dev.vestibule.identity.apikey.ApiKeys;
import dev.vestibule.identity.apikey.NewApiKey;
import dev.vestibule.identity.password.Argon2Params;
import dev.vestibule.identity.password.HashingPool;
import dev.vestibule.identity.testing.MutableClock;
import dev.vestibule.identity.testing.RecordingMailer;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.identity.user.User;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway that runs for months still forgets what has expired, without a restart. */
class UpkeepTest {
  @TempDir Path folder;

  @Test
  void aRunningGatewayPurgesLongExpiredApiKeysOnItsOwn() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    try (TestDatabase db = TestDatabase.sqlite(folder)) {
      IdentityService service = IdentityService.open(IdentitySettings.builder(db.url(), URI.create("http://localhost"))
          .argon2(new Argon2Params(4096, 1, 1)).hashing(new HashingPool(1, 8)).build(), new RecordingMailer(), clock);
      try (BuiltinIdentity identity = new BuiltinIdentity(service, "web", Duration.ofMillis(20))) {
        User user = service.register("Ada Lovelace", "ada@example.org", "tulip-anvil-orbit-57");
        service.createApiKey(user.id(), NewApiKey.parse("nightly", null, null, "PT1H", clock.instant()));
        Thread.sleep(100);
        assertThat(service.apiKeys(user.id())).as("not yet expired long enough").hasSize(1);

        clock.advance(Duration.ofHours(1).plus(ApiKeys.KEPT_AFTER_EXPIRY));
        Instant deadline = Instant.now().plusSeconds(10);
        while (!service.apiKeys(user.id()).isEmpty() && Instant.now().isBefore(deadline)) Thread.sleep(20);
        assertThat(service.apiKeys(user.id())).isEmpty();
      }
    }
  }
}
