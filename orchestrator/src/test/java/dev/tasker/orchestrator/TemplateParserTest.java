package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TemplateParserTest {

  private static TaskTemplate parse(String yaml) {
    return TemplateRegistry.parse(yaml, "test.yaml", null);
  }

  private static final String HEADER = "name: t\nnamespace_name: ns\nversion: 1.0.0\n";

  @Test
  void an_upstream_template_with_unused_sections_is_read() {
    TaskTemplate template =
        parse(
            """
            name: business_workflow
            namespace_name: order_fulfillment
            version: 1.0.0
            description: "Complete order fulfillment"
            metadata:
              author: someone
              tags: [a, b]
            task_handler:
              callable: OrderFulfillment::OrderFulfillmentHandler
              initialization: {}
            system_dependencies:
              primary: default
              secondary: []
            domain_events: []
            input_schema:
              type: object
              required: [customer]
            steps:
              - name: validate_order
                description: "Validate"
                handler:
                  callable: OrderFulfillment::StepHandlers::ValidateOrderHandler
                  initialization:
                    validation_rules: {customer_validation: strict}
                system_dependency:
                dependencies: []
                retry:
                  retryable: true
                  max_attempts: 3
                  backoff: exponential
                  backoff_base_ms: 1000
                  max_backoff_ms: 30000
                timeout_seconds: 45
                publishes_events: []
              - name: reserve_inventory
                handler:
                  callable: OrderFulfillment::StepHandlers::ReserveInventoryHandler
                dependencies:
                  - validate_order
            environments:
              test:
                steps:
                  - name: validate_order
                    timeout_seconds: 20
                    retry:
                      max_attempts: 2
            """);

    assertThat(template.fullName()).isEqualTo("order_fulfillment/business_workflow:1.0.0");
    StepTemplate validate = template.step("validate_order").orElseThrow();
    assertThat(validate.handler()).isEqualTo("OrderFulfillment::StepHandlers::ValidateOrderHandler");
    assertThat(validate.handlerConfig().at("/validation_rules/customer_validation").asText()).isEqualTo("strict");
    assertThat(validate.retry()).isEqualTo(new RetryPolicy(true, 3, 1000, 30_000));
    assertThat(validate.timeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(template.step("reserve_inventory").orElseThrow().dependencies()).containsExactly("validate_order");
    assertThat(template.inputSchema().get("required").get(0).asText()).isEqualTo("customer");
  }

  @Test
  void environment_overrides_apply_only_to_their_environment() {
    String yaml =
        HEADER
            + """
            steps:
              - name: a
                handler: {callable: h}
                retry: {max_attempts: 5, backoff_base_ms: 10}
                timeout_seconds: 60
            environments:
              test:
                steps:
                  - name: a
                    timeout_seconds: 2
                    retry: {max_attempts: 1}
            """;

    StepTemplate plain = TemplateRegistry.parse(yaml, "t.yaml", null).steps().get(0);
    StepTemplate test = TemplateRegistry.parse(yaml, "t.yaml", "test").steps().get(0);

    assertThat(plain.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(plain.retry().maxAttempts()).isEqualTo(5);
    assertThat(test.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(test.retry().maxAttempts()).isEqualTo(1);
    assertThat(test.retry().backoffBaseMs()).isEqualTo(10);
  }

  @Test
  void steps_come_out_dependencies_first() {
    TaskTemplate template =
        parse(
            HEADER
                + """
                steps:
                  - {name: end, handler: {callable: h}, dependencies: [left, right]}
                  - {name: left, handler: {callable: h}, dependencies: [start]}
                  - {name: right, handler: {callable: h}, dependencies: [start]}
                  - {name: start, handler: {callable: h}}
                """);

    assertThat(template.steps()).extracting(StepTemplate::name).containsExactly("start", "left", "right", "end");
  }

  @Test
  void a_step_without_retry_settings_gets_the_defaults_and_retryable_false_still_runs_once() {
    TaskTemplate template =
        parse(HEADER + "steps:\n  - {name: a, handler: {callable: h}}\n  - {name: b, handler: {callable: h}, retry: {retryable: false}}\n");

    assertThat(template.steps().get(0).retry()).isEqualTo(RetryPolicy.DEFAULT);
    assertThat(template.steps().get(1).retry().effectiveMaxAttempts()).isEqualTo(1);
  }

  @Test
  void a_cycle_is_refused_naming_its_steps() {
    assertThatThrownBy(
            () ->
                parse(
                    HEADER
                        + """
                        steps:
                          - {name: a, handler: {callable: h}, dependencies: [c]}
                          - {name: b, handler: {callable: h}, dependencies: [a]}
                          - {name: c, handler: {callable: h}, dependencies: [b]}
                        """))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("dependency cycle")
        .hasMessageContaining("a -> c -> b -> a");
  }

  @Test
  void a_step_depending_on_itself_is_a_cycle() {
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, handler: {callable: h}, dependencies: [a]}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("step 'a' is part of a dependency cycle: a -> a");
  }

  @Test
  void an_unknown_dependency_is_refused_naming_both_steps() {
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, handler: {callable: h}, dependencies: [ghost]}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("step 'a' depends on unknown step 'ghost'");
  }

  @Test
  void a_duplicate_step_name_is_refused_naming_the_step() {
    assertThatThrownBy(
            () -> parse(HEADER + "steps:\n  - {name: a, handler: {callable: h}}\n  - {name: a, handler: {callable: h}}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("step 'a' is defined twice");
  }

  @Test
  void a_step_without_a_callable_is_refused() {
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, handler: {initialization: {}}}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("step 'a': handler: callable is required");
  }

  @Test
  void a_missing_name_is_refused_naming_the_source() {
    assertThatThrownBy(() -> parse("namespace_name: ns\nversion: 1\nsteps: []\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessage("test.yaml: name is required");
  }

  @Test
  void wrongly_typed_retry_values_are_refused() {
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, handler: {callable: h}, retry: {max_attempts: many}}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("retry.max_attempts must be a whole number");
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, handler: {callable: h}, retry: {retryable: maybe}}\n"))
        .hasMessageContaining("retry.retryable must be true or false");
    assertThatThrownBy(
            () -> parse(HEADER + "steps:\n  - {name: a, handler: {callable: h}, retry: {backoff_base_ms: 500, max_backoff_ms: 100}}\n"))
        .hasMessageContaining("max_backoff_ms must be >= backoff_base_ms");
  }

  @Test
  void a_non_positive_timeout_is_refused() {
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, handler: {callable: h}, timeout_seconds: 0}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("timeout_seconds must be a number from 0.001 to 86400");
  }

  @Test
  void an_unknown_step_type_is_refused_naming_the_known_ones() {
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, type: fork, handler: {callable: h}}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("step type 'fork' is not one of standard, decision, deferred_convergence, batchable,"
            + " batch_worker");
  }

  @Test
  void every_step_type_and_upstream_retry_form_is_read() {
    TaskTemplate template = TemplateRegistry.fromDirectory(java.nio.file.Path.of("src/test/resources/templates-dynamic"),
        "test").find("conditional_approval", "approval_routing", "1.0.0").orElseThrow();
    assertThat(template.step("routing_decision").orElseThrow().type()).isEqualTo(StepType.DECISION);
    assertThat(template.step("finalize_approval").orElseThrow().type()).isEqualTo(StepType.DEFERRED_CONVERGENCE);
    assertThat(template.step("validate_request").orElseThrow().retry().backoff()).isEqualTo(BackoffKind.LINEAR);
    assertThat(template.step("finalize_approval").orElseThrow().retry().backoff()).isEqualTo(BackoffKind.NONE);
    // max_attempts: 0 with retryable: false is one attempt.
    assertThat(template.step("routing_decision").orElseThrow().retry().effectiveMaxAttempts()).isEqualTo(1);
    // environments.test.steps[name: ALL] applies to every step, merged into each step's retry.
    assertThat(template.step("auto_approve").orElseThrow().timeout()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(template.step("validate_request").orElseThrow().retry().maxAttempts()).isEqualTo(2);
    assertThat(template.step("validate_request").orElseThrow().retry().backoff()).isEqualTo(BackoffKind.LINEAR);
    assertThat(template.initialSteps()).extracting(StepTemplate::name)
        .containsExactly("validate_request", "routing_decision");

    TaskTemplate batches = TemplateRegistry.fromDirectory(java.nio.file.Path.of("src/test/resources/templates-dynamic"),
        null).find("csv_processing", "csv_inventory", "1.0.0").orElseThrow();
    assertThat(batches.step("process_csv_batch").orElseThrow().type()).isEqualTo(StepType.BATCH_WORKER);
    assertThat(batches.initialSteps()).extracting(StepTemplate::name).containsExactly("analyze_csv");
    assertThat(batches.definition().path("steps").get(1).path("batch_config").path("cursor_field").asText())
        .isEqualTo("row_number");
  }

  @Test
  void max_attempts_zero_is_refused_for_a_retryable_step() {
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, handler: {callable: h}, retry: {max_attempts: 0}}\n"))
        .hasMessageContaining("retry.max_attempts must be a whole number from 1 to 1000");
  }

  @Test
  void an_unknown_backoff_is_refused_naming_the_known_ones() {
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, handler: {callable: h}, retry: {backoff: cubic}}\n"))
        .hasMessageContaining("retry.backoff 'cubic' is not one of exponential, linear, none");
  }

  @Test
  void run_time_step_kinds_must_fit_together() {
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, type: batch_worker, handler: {callable: h}}\n"))
        .hasMessageContaining("a batch_worker step must depend on exactly one step, a batchable one");
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, type: batchable, handler: {callable: h}}\n"))
        .hasMessageContaining("a batchable step needs a batch_worker step that depends on it");
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, type: deferred_convergence, handler: {callable: h}}\n"))
        .hasMessageContaining("a deferred_convergence step must list the steps it may converge");
  }

  @Test
  void an_invalid_input_schema_is_refused() {
    assertThatThrownBy(() -> parse(HEADER + "input_schema: [1, 2]\nsteps:\n  - {name: a, handler: {callable: h}}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("input_schema must be a mapping");
  }

  @Test
  void malformed_yaml_is_refused_naming_the_source() {
    assertThatThrownBy(() -> parse("name: [unclosed\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageStartingWith("test.yaml: not valid YAML");
  }

  @Test
  void duplicate_keys_are_refused() {
    assertThatThrownBy(() -> parse(HEADER + "name: again\nsteps:\n  - {name: a, handler: {callable: h}}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("Duplicate field 'name'");
  }

  @Test
  void an_environment_override_of_an_unknown_step_is_refused() {
    String yaml = HEADER + "steps:\n  - {name: a, handler: {callable: h}}\nenvironments:\n  test:\n    steps:\n      - {name: b, timeout_seconds: 1}\n";

    assertThatThrownBy(() -> TemplateRegistry.parse(yaml, "t.yaml", "test"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("unknown step(s) [b]");
  }

  @Test
  void the_newest_version_is_found_when_none_is_asked_for() {
    TemplateRegistry registry =
        TemplateRegistry.of(
            java.util.List.of(
                parse("name: t\nnamespace_name: ns\nversion: 1.2.0\nsteps:\n  - {name: a, handler: {callable: h}}\n"),
                parse("name: t\nnamespace_name: ns\nversion: 1.10.0\nsteps:\n  - {name: a, handler: {callable: h}}\n"),
                parse("name: t\nnamespace_name: ns\nversion: 1.9.3\nsteps:\n  - {name: a, handler: {callable: h}}\n")));

    assertThat(registry.find("ns", "t", null).orElseThrow().version()).isEqualTo("1.10.0");
    assertThat(registry.find("ns", "t", "1.2.0")).isPresent();
    assertThat(registry.find("ns", "t", "2.0.0")).isEmpty();
  }

  @Test
  void a_chain_of_thousands_of_steps_is_ordered_without_recursion() {
    StringBuilder yaml = new StringBuilder(HEADER).append("steps:\n");
    int steps = 6000;
    for (int i = 0; i < steps; i++) {
      yaml.append("  - {name: s").append(i).append(", handler: {callable: h}")
          .append(i + 1 < steps ? ", dependencies: [s" + (i + 1) + "]" : "").append("}\n");
    }

    TaskTemplate template = parse(yaml.toString());

    assertThat(template.steps().get(0).name()).isEqualTo("s" + (steps - 1));
    assertThat(template.steps().get(steps - 1).name()).isEqualTo("s0");
  }

  @Test
  void an_input_schema_that_refers_to_a_url_is_refused_without_fetching_it() {
    long started = System.nanoTime();

    assertThatThrownBy(
            () -> parse(HEADER + "input_schema: {$ref: 'http://10.255.255.1/schema.json'}\nsteps:\n  - {name: a, handler: {callable: h}}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("input_schema");
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5000);
  }

  @Test
  void a_deeply_nested_input_schema_is_refused_naming_the_limit() {
    String schema = "{not: ".repeat(100) + "{}" + "}".repeat(100);

    assertThatThrownBy(() -> parse(HEADER + "input_schema: " + schema + "\nsteps:\n  - {name: a, handler: {callable: h}}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("at most 64");
  }

  @Test
  void numbers_too_large_for_their_field_are_refused_not_wrapped() {
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, handler: {callable: h}, retry: {max_attempts: 18446744073709551619}}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("retry.max_attempts must be a whole number");
  }

  @Test
  void a_timeout_below_a_millisecond_is_refused() {
    assertThatThrownBy(() -> parse(HEADER + "steps:\n  - {name: a, handler: {callable: h}, timeout_seconds: 0.0001}\n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("timeout_seconds must be a number from 0.001");
  }
}
