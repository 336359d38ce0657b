package dev.tasker.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.protocol.ProtocolVersion;
import dev.tasker.protocol.Welcome;
import org.junit.jupiter.api.Test;

class OrchestratorSessionTest {

  private static final long AFTER_MS = 5000;

  /** A session opened at {@code now} ms; its connection is never opened. */
  private static OrchestratorSession aSessionOpenedAt(long now) {
    return new OrchestratorSession(0, new DealerConnection(null, "tcp://127.0.0.1:5555", "worker-1", null), 1000, now);
  }

  private static Welcome aWelcome() {
    return new Welcome("worker-1", "orchestrator-1", ProtocolVersion.SUPPORTED.get(0), "json", 1000);
  }

  @Test
  void a_session_without_a_welcome_is_overdue_once_after_the_wait() {
    OrchestratorSession session = aSessionOpenedAt(1_000);

    assertThat(session.welcomeOverdue(1_000 + AFTER_MS - 1, AFTER_MS)).isFalse();
    assertThat(session.welcomeOverdue(1_000 + AFTER_MS, AFTER_MS)).isTrue();
    assertThat(session.welcomeOverdue(1_000 + 10 * AFTER_MS, AFTER_MS)).isFalse();
  }

  @Test
  void a_welcomed_session_is_never_overdue() {
    OrchestratorSession session = aSessionOpenedAt(1_000);
    session.welcome(aWelcome());

    assertThat(session.welcomeOverdue(1_000 + 10 * AFTER_MS, AFTER_MS)).isFalse();
  }

  @Test
  void a_session_lost_after_a_welcome_is_overdue_again_counting_from_its_loss() {
    OrchestratorSession session = aSessionOpenedAt(1_000);
    assertThat(session.welcomeOverdue(1_000 + AFTER_MS, AFTER_MS)).isTrue();
    session.welcome(aWelcome());

    session.lost(100_000);

    assertThat(session.welcomeOverdue(100_000 + AFTER_MS - 1, AFTER_MS)).isFalse();
    assertThat(session.welcomeOverdue(100_000 + AFTER_MS, AFTER_MS)).isTrue();
  }
}
