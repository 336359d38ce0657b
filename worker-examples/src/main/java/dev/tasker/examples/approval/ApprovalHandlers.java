package dev.tasker.examples.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.worker.StepContext;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The handlers of {@code conditional_approval/approval_routing}: a decision point that chooses
 * approvals by amount, and a deferred convergence step that lists the approvals that ran. The Ruby
 * port ({@code ruby-worker/examples/approval_routing.rb}) has the same callables and outputs.
 */
public final class ApprovalHandlers {

  /** Amounts below this are approved automatically, unless the handler config says otherwise. */
  public static final BigDecimal DEFAULT_AUTO_APPROVE_BELOW = BigDecimal.valueOf(1000);

  /** Amounts above this need finance review too, unless the handler config says otherwise. */
  public static final BigDecimal DEFAULT_FINANCE_REVIEW_ABOVE = BigDecimal.valueOf(5000);

  private ApprovalHandlers() {}

  /** The handlers by callable name. */
  public static Map<String, StepHandler> all() {
    Map<String, StepHandler> handlers = new LinkedHashMap<>();
    handlers.put("conditional_approval.validate_request", ApprovalHandlers::validateRequest);
    handlers.put("conditional_approval.routing_decision", ApprovalHandlers::routingDecision);
    handlers.put("conditional_approval.approve", ApprovalHandlers::approve);
    handlers.put("conditional_approval.finalize_approval", ApprovalHandlers::finalizeApproval);
    return handlers;
  }

  /**
   * The approvals an amount needs, by template step name: {@code auto_approve} below {@code
   * autoApproveBelow}, {@code manager_approval} up to {@code financeReviewAbove}, {@code
   * manager_approval} and {@code finance_review} above.
   */
  public static List<String> approvalsFor(BigDecimal amount, BigDecimal autoApproveBelow, BigDecimal financeReviewAbove) {
    if (amount.compareTo(autoApproveBelow) < 0) {
      return List.of("auto_approve");
    }
    if (amount.compareTo(financeReviewAbove) <= 0) {
      return List.of("manager_approval");
    }
    return List.of("manager_approval", "finance_review");
  }

  /** Checks that the task's {@code amount} is a positive number; otherwise a permanent failure. */
  static StepResult validateRequest(StepContext context) {
    JsonNode amount = context.taskContext().path("amount");
    if (!amount.isNumber() || amount.decimalValue().signum() <= 0) {
      return StepResult.permanentFailure("invalid_request", "amount must be a number > 0 but was " + amount);
    }
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("amount", amount);
    output.put("requester", context.taskContext().path("requester").asText("unknown"));
    return StepResult.success(output);
  }

  /** Chooses the approvals for the validated amount (a decision). */
  static StepResult routingDecision(StepContext context) {
    JsonNode amount = context.previousResult("validate_request").path("amount");
    if (!amount.isNumber()) {
      return StepResult.permanentFailure("invalid_input", "validate_request.amount must be a number");
    }
    BigDecimal below = threshold(context, "auto_approve_below", DEFAULT_AUTO_APPROVE_BELOW);
    BigDecimal above = threshold(context, "finance_review_above", DEFAULT_FINANCE_REVIEW_ABOVE);
    List<String> approvals = approvalsFor(amount.decimalValue(), below, above);
    return StepResult.decision(approvals, Map.of("amount", amount, "approvals_required", approvals));
  }

  /** Approves as the handler config's {@code approver} (auto, manager or finance). */
  static StepResult approve(StepContext context) {
    String approver = context.handlerConfig().path("approver").asText("");
    if (approver.isEmpty()) {
      return StepResult.permanentFailure("invalid_config", "handler initialization must name an approver");
    }
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("approver", approver);
    output.put("approved", true);
    output.put("amount", context.previousResult("validate_request").path("amount"));
    return StepResult.success(output);
  }

  /**
   * Lists the approvals among its previous results (those with an {@code approver}), by step
   * name: exactly the steps the decision created.
   */
  static StepResult finalizeApproval(StepContext context) {
    Map<String, String> approvers = new TreeMap<>();
    context.previousResults().forEach((step, output) -> {
      if (output.hasNonNull("approver")) {
        approvers.put(step, output.get("approver").asText());
      }
    });
    if (approvers.isEmpty()) {
      return StepResult.permanentFailure("no_approval", "no approval step ran before finalize_approval");
    }
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("approved", true);
    output.put("approvals", new ArrayList<>(approvers.keySet()));
    output.put("approvers", new ArrayList<>(approvers.values()));
    output.put("amount", context.previousResult("validate_request").path("amount"));
    return StepResult.success(output);
  }

  private static BigDecimal threshold(StepContext context, String name, BigDecimal fallback) {
    JsonNode value = context.handlerConfig().path(name);
    return value.isNumber() ? value.decimalValue() : fallback;
  }
}
