# frozen_string_literal: true

# Ruby handlers for the CSV inventory analysis template
# (worker-examples/src/main/resources/templates/csv_inventory_analysis.yaml), a port of
# CsvInventoryHandlers.java: same callables, outputs and checkpoints, so a batch worker that
# yielded in one language can resume in the other.
#
#   analyze_csv (batchable) --> process_csv_batch_001..N (batch workers) --> aggregate_csv_results
#
# The task context's csv_path names a file with the header product_id,sku,category,unit_price,stock
# (prices with two decimals); row_delay_ms (default 0) slows each row down.
#
#   ruby ruby-worker/bin/tasker-worker --require ruby-worker/examples/csv_inventory.rb
require "tasker/worker"

module CsvInventory
  HEADER = "product_id,sku,category,unit_price,stock"
  WORKER_TEMPLATE = "process_csv_batch"
  DEFAULT_BATCH_SIZE = 200
  DEFAULT_CHECKPOINT_EVERY = 50
  PRICE = /\A\d+\.\d{2}\z/
  WHOLE = /\A\d+\z/

  Invalid = Class.new(StandardError)

  module_function

  # Yields each product line at positions from ... until (0 is the first line after the header).
  def each_line(path, from, until_row)
    File.open(path, "r:UTF-8") do |file|
      header = file.gets&.chomp
      raise Invalid, "#{path} must start with the header #{HEADER} but starts with #{header.inspect}" unless header == HEADER

      (0...until_row).each do |position|
        line = file.gets or raise Invalid, "#{path} ends at row #{position}, before row #{until_row}"
        yield line.chomp, position if position >= from
      end
    end
  end

  def count_rows(path)
    rows = 0
    File.open(path, "r:UTF-8") do |file|
      header = file.gets&.chomp
      raise Invalid, "#{path} must start with the header #{HEADER} but starts with #{header.inspect}" unless header == HEADER

      rows += 1 while file.gets
    end
    rows
  end

  # A line as {"category", "stock", "value_cents"}.
  def parse(line, position)
    fields = line.split(",", -1)
    raise Invalid, "row #{position} has #{fields.size} fields, not 5: #{line}" unless fields.size == 5
    unless WHOLE.match?(fields[0]) && WHOLE.match?(fields[4])
      raise Invalid, "row #{position}: product_id and stock must be whole numbers: #{line}"
    end
    raise Invalid, "row #{position}: unit_price must have two decimals: #{line}" unless PRICE.match?(fields[3])

    stock = Integer(fields[4], 10)
    { "category" => fields[2], "stock" => stock, "value_cents" => Integer(fields[3].delete("."), 10) * stock }
  end

  # Inventory figures as in outputs and checkpoints: rows, units, inventory_value_cents, categories.
  def empty_totals
    { "rows" => 0, "units" => 0, "inventory_value_cents" => 0, "categories" => {} }
  end

  def totals_from(json)
    return empty_totals unless json.is_a?(Hash)

    { "rows" => json.fetch("rows", 0), "units" => json.fetch("units", 0),
      "inventory_value_cents" => json.fetch("inventory_value_cents", 0),
      "categories" => json.fetch("categories", {}).dup }
  end

  def add(totals, other)
    categories = totals["categories"].merge(other["categories"]) { |_, a, b| a + b }
    { "rows" => totals["rows"] + other["rows"], "units" => totals["units"] + other["units"],
      "inventory_value_cents" => totals["inventory_value_cents"] + other["inventory_value_cents"],
      "categories" => categories.sort.to_h }
  end

  # csv_processing.analyze_csv: counts the rows and plans one batch worker per batch_size of them.
  class AnalyzeCsv < Tasker::StepHandler
    handles "csv_processing.analyze_csv"

    def call(context)
      path = context.task_context["csv_path"].to_s
      return retryable_failure("cannot read #{path}") unless File.file?(path) && File.readable?(path)

      rows = CsvInventory.count_rows(path)
      batch_size = context.handler_config.fetch("batch_size", DEFAULT_BATCH_SIZE)
      output = { "csv_path" => path, "rows" => rows }
      return no_batches(output) if rows.zero?

      batches(worker_template: WORKER_TEMPLATE, cursor_configs: Tasker::BatchCursor.split(rows, batch_size),
              total_items: rows, output: output)
    rescue Invalid => e
      permanent_failure(e.message, error_type: "invalid_csv")
    end
  end

  # csv_processing.process_csv_batch: adds the next checkpoint_every rows of its range to the totals
  # of its last checkpoint, then yields a checkpoint, or succeeds with the range's totals.
  class ProcessCsvBatch < Tasker::StepHandler
    handles "csv_processing.process_csv_batch"

    def call(context)
      range = context.cursor
      return permanent_failure("process_csv_batch runs only as a batch worker, with a cursor", error_type: "invalid_input") if range.nil?

      checkpoint = context.checkpoint
      from = checkpoint && !checkpoint["cursor"].nil? ? Integer(checkpoint["cursor"]) : range["start_cursor"]
      totals = CsvInventory.totals_from(checkpoint && checkpoint["accumulated_results"])
      every = context.handler_config.fetch("checkpoint_every", DEFAULT_CHECKPOINT_EVERY)
      until_row = [range["end_cursor"], from + every].min
      delay = context.task_context.fetch("row_delay_ms", 0) / 1000.0
      CsvInventory.each_line(context.task_context["csv_path"].to_s, from, until_row) do |line, position|
        sleep(delay) if delay.positive?
        row = CsvInventory.parse(line, position)
        totals = CsvInventory.add(totals, { "rows" => 1, "units" => row["stock"], "inventory_value_cents" => row["value_cents"],
                                            "categories" => { row["category"] => 1 } })
      end
      if until_row < range["end_cursor"]
        return checkpoint_yield(cursor: until_row, items_processed: until_row - range["start_cursor"], accumulated_results: totals)
      end

      success(totals.merge("batch_id" => range["batch_id"]))
    rescue Invalid => e
      permanent_failure(e.message, error_type: "invalid_csv")
    end
  end

  # csv_processing.aggregate_csv_results: adds up the batch workers; fails permanently when they do
  # not cover exactly the rows analyze_csv counted.
  class AggregateCsvResults < Tasker::StepHandler
    handles "csv_processing.aggregate_csv_results"

    def call(context)
      workers = context.previous_results.select { |name, _| name.start_with?("#{WORKER_TEMPLATE}_") }
      totals = workers.values.reduce(CsvInventory.empty_totals) { |sum, output| CsvInventory.add(sum, CsvInventory.totals_from(output)) }
      expected = context.previous_result("analyze_csv")["rows"]
      unless totals["rows"] == expected
        return permanent_failure("the batch workers processed #{totals['rows']} rows but analyze_csv counted #{expected}",
                                 error_type: "row_count_mismatch")
      end

      success(totals.merge("batch_workers" => workers.size))
    end
  end
end
