# frozen_string_literal: true

module Tasker
  # Cursor configs for a batchable step's plan ({StepResult.batches}): consecutive half-open ranges
  # [start_cursor, end_cursor) of whole numbers over the items. Stateless.
  #
  #   Tasker::BatchCursor.split(350, 200)
  #   # => [{"batch_id"=>"001", "start_cursor"=>0, "end_cursor"=>200, "batch_size"=>200},
  #   #     {"batch_id"=>"002", "start_cursor"=>200, "end_cursor"=>350, "batch_size"=>200}]
  module BatchCursor
    module_function

    # Splits items 0 ... +total_items+ into ranges of at most +batch_size+ items. Batch ids count
    # from "001", with three digits or more ("1000" after "999"); every config's "batch_size" is
    # +batch_size+, the last range may be shorter. Keys are Strings, as the worker's
    # {StepContext#cursor} gets them back.
    #
    # @param total_items [Integer] >= 0; 0 gives no ranges
    # @param batch_size [Integer] >= 1
    # @return [Array<Hash>] "batch_id", "start_cursor", "end_cursor", "batch_size" each
    # @raise [ArgumentError] naming the argument that is invalid
    def split(total_items, batch_size)
      raise ArgumentError, "total_items must be an Integer >= 0, got #{total_items.inspect}" unless total_items.is_a?(Integer) && total_items >= 0
      raise ArgumentError, "batch_size must be an Integer >= 1, got #{batch_size.inspect}" unless batch_size.is_a?(Integer) && batch_size >= 1

      0.step(total_items - 1, batch_size).each_with_index.map do |start, index|
        { "batch_id" => format("%03d", index + 1), "start_cursor" => start,
          "end_cursor" => [start + batch_size, total_items].min, "batch_size" => batch_size }
      end
    end
  end
end
