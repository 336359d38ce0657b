package dev.tasker.worker.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * How a worker's credit is shared among the orchestrators that have welcomed it: each gets {@code
 * total / n}, the first also the remainder, so the shares add up to {@code total} (a share may be
 * 0, which pauses dispatch from that orchestrator). When the shares change, the CREDIT messages go
 * out lowering ones first, so that the credit granted to all orchestrators together never exceeds
 * {@code total} on the worker's side. Stateless.
 */
final class CreditSplit {

  /** One CREDIT message to send: session {@code index} (in the order given) gets {@code credit}. */
  record Change(int index, int credit) {}

  private CreditSplit() {}

  /**
   * The shares of {@code sessions} sessions, first session first.
   *
   * @param total the worker's credit, at least 0
   * @param sessions how many sessions share it, at least 0
   */
  static List<Integer> shares(int total, int sessions) {
    if (total < 0 || sessions < 0) {
      throw new IllegalArgumentException("total and sessions must be >= 0 but were " + total + ", " + sessions);
    }
    List<Integer> shares = new ArrayList<>(sessions);
    for (int i = 0; i < sessions; i++) {
      shares.add(total / sessions + (i == 0 ? total % sessions : 0));
    }
    return shares;
  }

  /**
   * The credit a session announces in HELLO before it is welcomed: its share were every session
   * welcomed, at least 1 (HELLO's {@code concurrency} is at least 1; a 0 share is announced with
   * CREDIT right after the WELCOME).
   */
  static int helloShare(int total, int sessions) {
    return Math.max(1, total / Math.max(1, sessions));
  }

  /**
   * The CREDIT messages that take sessions from the credit they have to {@code target}: lowered
   * ones first, then raised ones; unchanged ones get none.
   *
   * @param current the credit each session was last given
   * @param target the credit each should have, in the same order
   */
  static List<Change> changes(List<Integer> current, List<Integer> target) {
    if (current.size() != target.size()) {
      throw new IllegalArgumentException("current and target differ in size: " + current + ", " + target);
    }
    List<Change> lower = new ArrayList<>();
    List<Change> raise = new ArrayList<>();
    for (int i = 0; i < current.size(); i++) {
      int from = current.get(i);
      int to = target.get(i);
      if (to < from) {
        lower.add(new Change(i, to));
      } else if (to > from) {
        raise.add(new Change(i, to));
      }
    }
    lower.addAll(raise);
    return lower;
  }
}
