package dev.tasker.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StepWorkerBuilderTest {

  private static final StepHandler NOOP = context -> StepResult.success();

  @Test
  void an_endpoint_is_required() {
    assertThatThrownBy(() -> StepWorker.builder().handler("a", NOOP).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint is required");
  }

  @Test
  void several_endpoints_must_be_neither_blank_nor_repeated_and_none_is_not_enough() {
    assertThatThrownBy(() -> StepWorker.builder().endpoints(java.util.List.of()).handler("a", NOOP).build())
        .hasMessage("endpoint is required");
    assertThatThrownBy(() -> StepWorker.builder()
            .endpoints(java.util.List.of("tcp://127.0.0.1:1", " ")).handler("a", NOOP).build())
        .hasMessageContaining("endpoints must not contain a blank endpoint");
    assertThatThrownBy(() -> StepWorker.builder()
            .endpoints(java.util.List.of("tcp://127.0.0.1:1", "tcp://127.0.0.1:1")).handler("a", NOOP).build())
        .hasMessageContaining("endpoints must not repeat an endpoint");
    StepWorker worker = StepWorker.builder()
        .endpoints(java.util.List.of("tcp://127.0.0.1:1", "tcp://127.0.0.1:2")).discover(false).handler("a", NOOP).build();
    assertThat(worker.registeredOrchestrators()).isZero();
    worker.close();
  }

  @Test
  void at_least_one_handler_is_required() {
    assertThatThrownBy(() -> StepWorker.builder().endpoint("tcp://127.0.0.1:1").build())
        .hasMessage("at least one handler is required");
  }

  @Test
  void concurrency_must_be_positive() {
    assertThatThrownBy(
            () -> StepWorker.builder().endpoint("tcp://127.0.0.1:1").handler("a", NOOP).concurrency(0).build())
        .hasMessage("concurrency must be >= 1 but was 0");
  }

  @Test
  void a_handler_name_cannot_be_registered_twice() {
    assertThatThrownBy(() -> StepWorker.builder().handler("a", NOOP).handler("a", NOOP))
        .hasMessageContaining("'a' is registered twice");
  }

  @Test
  void a_zero_drain_timeout_is_refused_naming_the_field() {
    assertThatThrownBy(
            () ->
                StepWorker.builder()
                    .endpoint("tcp://127.0.0.1:1")
                    .handler("a", NOOP)
                    .drainTimeout(Duration.ZERO)
                    .build())
        .hasMessageContaining("drainTimeout must be > 0 ms");
  }

  @Test
  void a_worker_gets_a_uuid_v7_id_by_default_and_closing_an_unstarted_worker_stops_it() {
    StepWorker worker = StepWorker.builder().endpoint("tcp://127.0.0.1:1").handler("a", NOOP).build();

    assertThat(worker.workerId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(worker.state()).isEqualTo(StepWorker.State.NEW);
    worker.close();
    assertThat(worker.state()).isEqualTo(StepWorker.State.STOPPED);
  }
}
