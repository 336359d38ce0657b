# frozen_string_literal: true

module Tasker
  # Handlers by callable name. Thread-safe: registration takes a lock, lookups read a frozen
  # snapshot.
  #
  # A handler may be:
  #
  # * a class whose instances respond to +call(context)+ (such as a {StepHandler} subclass): a new
  #   instance runs each attempt;
  # * a block, a Proc or lambda, or any other object responding to +call+: it is shared by every
  #   attempt and must be thread-safe. A callable taking three arguments is called
  #   +call(task, sequence, step)+, otherwise +call(context)+.
  class HandlerRegistry
    def initialize
      @lock = Mutex.new
      @handlers = {}.freeze
    end

    # Registers +handler+ (or the block) under +name+.
    #
    # @param name [String] the callable name used in templates, e.g. "order_fulfillment.ship_order"
    # @raise [ArgumentError] when the name is blank or taken, or the handler is not callable
    # @return [self]
    def register(name, handler = nil, &block)
      name = validate_name(name)
      raise ArgumentError, "register '#{name}' with a handler or a block, not both" if handler && block

      invoker = invoker_for(name, handler || block)
      @lock.synchronize do
        raise ArgumentError, "handler '#{name}' is already registered" if @handlers.key?(name)

        @handlers = @handlers.merge(name => invoker).freeze
      end
      self
    end

    # The invoker for +name+ (responds to +call(context)+), or nil when none is registered.
    def fetch(name)
      @handlers[name]
    end

    # Whether a handler is registered under +name+.
    def include?(name)
      @handlers.key?(name)
    end

    # Registered names, sorted.
    def names
      @handlers.keys.sort
    end

    def empty?
      @handlers.empty?
    end

    def size
      @handlers.size
    end

    private

    def validate_name(name)
      name = name.to_s if name.is_a?(Symbol)
      unless name.is_a?(String) && !name.strip.empty?
        raise ArgumentError, "handler name must be a non-blank String, got #{name.inspect}"
      end

      name.dup.freeze
    end

    def invoker_for(name, handler)
      case handler
      when nil
        raise ArgumentError, "register '#{name}' with a handler or a block"
      when Class
        unless handler.method_defined?(:call)
          raise ArgumentError, "handler class #{handler} for '#{name}' must define call(context)"
        end

        ->(context) { handler.new.call(context) }
      else
        raise ArgumentError, "handler for '#{name}' must respond to call, got #{handler.inspect}" unless handler.respond_to?(:call)

        three_parts?(handler) ? ->(c) { handler.call(c.task, c.sequence, c.step) } : ->(c) { handler.call(c) }
      end
    end

    def three_parts?(handler)
      callable = handler.is_a?(Proc) ? handler : handler.method(:call)
      callable.arity == 3
    end
  end
end
