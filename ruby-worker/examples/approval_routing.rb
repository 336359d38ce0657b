# frozen_string_literal: true

# Ruby handlers for the approval routing template
# (worker-examples/src/main/resources/templates/approval_routing.yaml), a port of
# ApprovalHandlers.java: same callables, same outputs. A decision point chooses the approvals by
# amount; the deferred convergence step lists the approvals that ran.
#
#   validate_request --> routing_decision --> auto_approve | manager_approval [+ finance_review] --> finalize_approval
#
#   ruby ruby-worker/bin/tasker-worker --require ruby-worker/examples/approval_routing.rb
require "tasker/worker"

module ApprovalRouting
  DEFAULT_AUTO_APPROVE_BELOW = 1000
  DEFAULT_FINANCE_REVIEW_ABOVE = 5000

  module_function

  # The approvals an amount needs, by template step name.
  def approvals_for(amount, auto_approve_below, finance_review_above)
    return ["auto_approve"] if amount < auto_approve_below
    return ["manager_approval"] if amount <= finance_review_above

    %w[manager_approval finance_review]
  end

  # conditional_approval.validate_request: the amount must be a number > 0 (else a permanent failure).
  class ValidateRequest < Tasker::StepHandler
    handles "conditional_approval.validate_request"

    def call(context)
      amount = context.task_context["amount"]
      unless amount.is_a?(Numeric) && amount.positive?
        return permanent_failure("amount must be a number > 0 but was #{amount.nil? ? 'missing' : amount.inspect}",
                                 error_type: "invalid_request")
      end

      requester = context.task_context["requester"]
      success("amount" => amount, "requester" => requester.nil? ? "unknown" : requester.to_s)
    end
  end

  # conditional_approval.routing_decision: a decision creating the approvals the amount needs.
  class RoutingDecision < Tasker::StepHandler
    handles "conditional_approval.routing_decision"

    def call(context)
      amount = context.previous_result("validate_request")["amount"]
      return permanent_failure("validate_request.amount must be a number", error_type: "invalid_input") unless amount.is_a?(Numeric)

      config = context.handler_config
      below = config["auto_approve_below"].is_a?(Numeric) ? config["auto_approve_below"] : DEFAULT_AUTO_APPROVE_BELOW
      above = config["finance_review_above"].is_a?(Numeric) ? config["finance_review_above"] : DEFAULT_FINANCE_REVIEW_ABOVE
      approvals = ApprovalRouting.approvals_for(amount, below, above)
      decision(approvals, "amount" => amount, "approvals_required" => approvals)
    end
  end

  # conditional_approval.approve: approves as the handler config's approver (auto, manager or finance).
  class Approve < Tasker::StepHandler
    handles "conditional_approval.approve"

    def call(context)
      approver = context.handler_config["approver"].to_s
      return permanent_failure("handler initialization must name an approver", error_type: "invalid_config") if approver.empty?

      success("approver" => approver, "approved" => true, "amount" => context.previous_result("validate_request")["amount"])
    end
  end

  # conditional_approval.finalize_approval: lists the approvals among its previous results (those
  # with an "approver"), by step name: exactly the steps the decision created.
  class FinalizeApproval < Tasker::StepHandler
    handles "conditional_approval.finalize_approval"

    def call(context)
      approvals = context.previous_results.select { |_, output| output.is_a?(Hash) && !output["approver"].nil? }.sort
      return permanent_failure("no approval step ran before finalize_approval", error_type: "no_approval") if approvals.empty?

      success("approved" => true, "approvals" => approvals.map(&:first),
              "approvers" => approvals.map { |_, output| output["approver"].to_s },
              "amount" => context.previous_result("validate_request")["amount"])
    end
  end
end
