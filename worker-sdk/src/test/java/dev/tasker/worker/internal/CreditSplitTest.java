package dev.tasker.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CreditSplitTest {

  @Test
  void the_credit_is_split_evenly_with_the_remainder_to_the_first_session() {
    assertThat(CreditSplit.shares(10, 3)).containsExactly(4, 3, 3);
    assertThat(CreditSplit.shares(16, 2)).containsExactly(8, 8);
    assertThat(CreditSplit.shares(7, 1)).containsExactly(7);
    assertThat(CreditSplit.shares(7, 0)).isEmpty();
  }

  @Test
  void a_credit_smaller_than_the_sessions_leaves_some_sessions_at_zero() {
    assertThat(CreditSplit.shares(2, 3)).containsExactly(2, 0, 0);
    assertThat(CreditSplit.shares(0, 2)).containsExactly(0, 0);
  }

  @Test
  void the_shares_always_add_up_to_the_credit() {
    for (int total = 0; total <= 40; total++) {
      for (int sessions = 1; sessions <= 7; sessions++) {
        assertThat(CreditSplit.shares(total, sessions).stream().mapToInt(Integer::intValue).sum())
            .as("%d over %d", total, sessions)
            .isEqualTo(total);
      }
    }
  }

  @Test
  void hello_announces_at_least_one() {
    assertThat(CreditSplit.helloShare(16, 2)).isEqualTo(8);
    assertThat(CreditSplit.helloShare(1, 3)).isEqualTo(1);
    assertThat(CreditSplit.helloShare(0, 1)).isEqualTo(1);
  }

  @Test
  void lowered_sessions_are_told_before_raised_ones_and_unchanged_ones_not_at_all() {
    List<CreditSplit.Change> changes = CreditSplit.changes(List.of(16, 8, 5), List.of(6, 5, 5));

    assertThat(changes).containsExactly(new CreditSplit.Change(0, 6), new CreditSplit.Change(1, 5));

    assertThat(CreditSplit.changes(List.of(0, 8, 8), List.of(6, 5, 5)))
        .containsExactly(
            new CreditSplit.Change(1, 5), new CreditSplit.Change(2, 5), new CreditSplit.Change(0, 6));
  }

  @Test
  void the_credit_granted_never_exceeds_the_total_while_sessions_come_and_go() {
    int total = 11;
    // Credits as the orchestrators know them; a joining session is counted from 0 here (what it
    // announced in HELLO is lowered, if need be, with the others).
    List<Integer> credits = new ArrayList<>(List.of(total));
    for (int sessions = 2; sessions <= 5; sessions++) {
      credits.add(0);
      apply(credits, CreditSplit.shares(total, sessions), total);
    }
    for (int sessions = 4; sessions >= 1; sessions--) {
      credits.remove(credits.size() - 1);
      apply(credits, CreditSplit.shares(total, sessions), total);
    }
    assertThat(credits).containsExactly(total);
  }

  private static void apply(List<Integer> credits, List<Integer> target, int total) {
    for (CreditSplit.Change change : CreditSplit.changes(credits, target)) {
      credits.set(change.index(), change.credit());
      assertThat(credits.stream().mapToInt(Integer::intValue).sum())
          .as("granted after %s on the way to %s", change, target)
          .isLessThanOrEqualTo(total);
    }
    assertThat(credits).isEqualTo(target);
  }

  @Test
  void sizes_must_match_and_counts_must_not_be_negative() {
    assertThatThrownBy(() -> CreditSplit.changes(List.of(1), List.of(1, 2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CreditSplit.shares(-1, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
