# frozen_string_literal: true

# Ruby handlers for the diamond template (worker-examples/src/main/resources/templates/diamond.yaml),
# a port of DiamondHandlers.java. Each output is {"value": <number>}. Arithmetic is exact: a result
# beyond a signed 64-bit integer is a permanent failure, not a wrong answer.
#
#   ruby ruby-worker/bin/tasker-worker --require ruby-worker/examples/diamond.rb
require "tasker/worker"

module Diamond
  LONG_MAX = (2**63) - 1

  module_function

  def squared(n)
    value = n * n
    return Tasker::StepResult.permanent_failure("#{n} squared overflows a 64-bit integer", error_type: "overflow") if value > LONG_MAX

    Tasker::StepResult.success("value" => value)
  end

  def value(context, step)
    Integer(context.previous_result(step).fetch("value"))
  end

  Tasker::Worker.register("diamond.start") { |c| squared(Integer(c.task_context.fetch("even_number", 0))) }
  Tasker::Worker.register("diamond.branch_b") { |c| squared(value(c, "diamond_start")) }
  Tasker::Worker.register("diamond.branch_c") { |c| squared(value(c, "diamond_start")) }
  Tasker::Worker.register("diamond.end") do |c|
    product = value(c, "diamond_branch_b") * value(c, "diamond_branch_c")
    if product.abs > LONG_MAX
      Tasker::StepResult.permanent_failure("the product of the branches overflows a 64-bit integer", error_type: "overflow")
    else
      squared(product)
    end
  end
end
