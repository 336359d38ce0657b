package dev.tasker.orchestrator.internal.creation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskTemplate;
import dev.tasker.orchestrator.TemplateRegistry;
import org.junit.jupiter.api.Test;

class IdentityHashTest {

  private static final TaskTemplate TEMPLATE =
      TemplateRegistry.parse("name: t\nnamespace_name: ns\nversion: '1'\nsteps:\n  - {name: a, handler: {callable: h}}\n", "t", null);

  private static TaskRequest request(String json) throws Exception {
    return TaskRequest.builder("ns", "t").context(new ObjectMapper().readTree(json)).build();
  }

  @Test
  void contexts_that_differ_only_in_key_order_are_the_same_task() throws Exception {
    assertThat(IdentityHash.of(TEMPLATE, request("{\"a\":1,\"b\":{\"x\":[1,2],\"y\":2}}")))
        .isEqualTo(IdentityHash.of(TEMPLATE, request("{\"b\":{\"y\":2,\"x\":[1,2]},\"a\":1}")));
  }

  @Test
  void different_contexts_are_different_tasks() throws Exception {
    assertThat(IdentityHash.of(TEMPLATE, request("{\"a\":1}")))
        .isNotEqualTo(IdentityHash.of(TEMPLATE, request("{\"a\":2}")));
    assertThat(IdentityHash.of(TEMPLATE, request("{\"x\":[1,2]}")))
        .isNotEqualTo(IdentityHash.of(TEMPLATE, request("{\"x\":[2,1]}")));
  }

  @Test
  void an_idempotency_key_replaces_the_context() {
    TaskRequest one = TaskRequest.builder("ns", "t").context(java.util.Map.of("a", 1)).idempotencyKey("k").build();
    TaskRequest two = TaskRequest.builder("ns", "t").context(java.util.Map.of("a", 2)).idempotencyKey("k").build();

    assertThat(IdentityHash.of(TEMPLATE, one)).isEqualTo(IdentityHash.of(TEMPLATE, two));
  }
}
