# frozen_string_literal: true

module Tasker
  class Worker
    module Internal
      # The thread that owns the worker's DEALER socket. It registers with HELLO, receives batches
      # and hands their steps to the handler pool, numbers and sends the results handler threads
      # queue, heartbeats, registers again when the orchestrator goes silent or forgets the worker,
      # and drains on request. No other thread touches the socket: they queue work and call
      # {WakeupSignal#wake}.
      class WorkerLoop
        LANGUAGE = "ruby"
        MAX_POLL_MS = 1000
        # A connection that never completes its handshake would never deliver: after this many
        # unanswered HELLOs a new socket (and TCP connection) is the cure, as in ZeroMQ's "lazy
        # pirate" pattern.
        HELLOS_PER_SOCKET = 3

        # @return [String, nil] the orchestrator's reason when it rejected the worker
        attr_reader :rejection
        # @return [Boolean] whether the loop ended at its drain deadline with work left
        attr_reader :drain_timed_out

        # @param settings [Settings]
        # @param executor [#post] runs handler invocations (a fixed pool of settings.concurrency)
        # @param session [Session] the session's state; also read by other threads for status
        def initialize(settings, executor, session)
          @settings = settings
          @executor = executor
          @session = session
          @logger = settings.logger
          @wakeup = WakeupSignal.new
          @outcomes = Thread::Queue.new
          @outbox = ResultOutbox.new(settings.worker_id, settings.clock, @logger)
          @drain_requests = 0
          @requested_credit = nil
          @credit = settings.concurrency
          @steps_held = 0
        end

        # Asks the loop to drain. Any thread, and trap handlers: it takes no lock. A second request
        # gives up waiting at once.
        def request_drain
          @drain_requests += 1
          @wakeup.wake
        end

        # Whether a drain was requested.
        def drain_requested? = @drain_requests.positive?

        # Asks the loop to announce a new credit (CREDIT). Any thread.
        def request_credit(credit)
          @requested_credit = credit
          @wakeup.wake
        end

        # Runs until rejected, or drained. Call on the thread that is to own the socket.
        def run
          context = ZMQ::Context.new
          @connection = DealerConnection.new(context, @settings.endpoint, @settings.worker_id, @wakeup, curve: @settings.curve)
          @connection.open
          @session.started(now)
          send_hello
          run_once until finished?
        ensure
          @connection&.close
          context&.terminate
        end

        # One turn of the loop: waits for a message, a wake-up or the next deadline (at most
        # +max_wait_ms+), then does whatever is due.
        def run_once(max_wait_ms = nil)
          @connection.poll(max_wait_ms ? [poll_timeout, max_wait_ms].min : poll_timeout)
          @wakeup.clear if @connection.woken?
          receive_all
          report_outcomes
          apply_requests
          keep_session_alive
        end

        # Closes the wake-up pipe; call once the handler pool has stopped.
        def close
          @wakeup.close
        end

        private

        def finished?
          return true if @rejection
          return false if @drain_requests.zero? || @session.drain_deadline.nil?

          if now >= @session.drain_deadline
            warn_unfinished if @steps_held.positive? || @outbox.pending.positive? || @outbox.unacknowledged.positive?
            return true
          end
          return false if @steps_held.positive? || @outbox.pending.positive?

          # Leave once the orchestrator has stored every result (it acknowledges after its commit).
          @outbox.unacknowledged.zero? && (@session.goodbye_acknowledged || !@session.welcomed)
        end

        def warn_unfinished
          @drain_timed_out = true
          @logger.warn("worker #{@settings.worker_id} stops after its drain timeout with #{@steps_held} steps running, " \
                       "#{@outbox.pending} results unsent and #{@outbox.unacknowledged} unacknowledged")
        end

        def poll_timeout
          [@session.next_deadline(now, MAX_POLL_MS) - now, 1].max
        end

        def receive_all
          while (frames = @connection.receive)
            @session.heard(now)
            receive(frames)
          end
        end

        def receive(frames)
          type, body = Protocol::Frames.parse(frames, max_body_bytes: @settings.max_body_bytes)
          unless Protocol::TO_WORKER.include?(type)
            raise Protocol::RefusedMessage.new("unexpected_message", "#{type} is never sent to a worker", message_type: type)
          end

          codec = Protocol::ALWAYS_JSON.include?(type) ? Protocol::JsonCodec.instance : @session.codec
          dispatch(type, Protocol::MessageChecks.check(type, codec.decode(type, body)))
        rescue Protocol::RefusedMessage => e
          @logger.warn("worker #{@settings.worker_id} refused a message from the orchestrator: #{e.code}: #{e.message}")
          # Never answer an ERROR with an ERROR, even one whose other frames are wrong.
          send_message("ERROR", e.to_error_body) unless frames.size >= 2 && frames[1].b == "ERROR"
        rescue StandardError => e
          @logger.error("worker #{@settings.worker_id} failed to handle a message: #{e.class}: #{e.message}")
        end

        def dispatch(type, body)
          case type
          when "WELCOME" then on_welcome(body)
          when "STEP_BATCH" then on_batch(body)
          when "ACK" then @outbox.acknowledged(body)
          when "GOODBYE" then on_goodbye(body)
          when "REJECT" then on_reject(body)
          when "ERROR" then on_error(body)
          end
        end

        def on_welcome(welcome)
          unless @settings.encodings.include?(welcome["encoding"])
            raise Protocol::MalformedBody.new("WELCOME at encoding: '#{welcome['encoding']}' was not offered " \
                                              "(offered: #{@settings.encodings.join(', ')})", message_type: "WELCOME")
          end
          unless Protocol::SUPPORTED_VERSIONS.include?(welcome["protocol_version"])
            raise Protocol::MalformedBody.new("WELCOME at protocol_version: '#{welcome['protocol_version']}' was not " \
                                              "offered (offered: #{Protocol::SUPPORTED_VERSIONS.join(', ')})",
                                              message_type: "WELCOME")
          end
          unless @session.welcomed
            @logger.info("worker #{@settings.worker_id} registered with orchestrator #{welcome['orchestrator_id']} " \
                         "(protocol #{welcome['protocol_version']}, encoding #{welcome['encoding']}, " \
                         "heartbeat #{welcome['heartbeat_interval_ms']} ms)")
          end
          @session.welcome(welcome, Protocol.codec(welcome["encoding"]))
          @outbox.resend_unacknowledged
          send_goodbye if @drain_requests.positive? && !@session.goodbye_sent
          flush_results
        end

        def on_batch(batch)
          batch_id = batch["batch_id"]
          unless @outbox.open(batch_id, batch["steps"].size)
            @logger.warn("worker #{@settings.worker_id} ignored batch #{batch_id}: it is already running")
            return
          end
          @steps_held += batch["steps"].size
          batch["steps"].each { |step| start_step(batch_id, step) }
        end

        def start_step(batch_id, step)
          metadata = step["metadata"]
          context = StepContext.new(
            task_id: step["task_id"], step_id: step["step_id"], step_name: step["step_name"],
            handler_name: step["handler"], task_context: step["task_context"],
            previous_results: step["previous_results"], handler_config: step["handler_config"],
            attempt: metadata["attempt"], max_attempts: metadata["max_attempts"], timeout_ms: metadata["timeout_ms"]
          )
          invoker = @settings.registry.fetch(step["handler"])
          clock = @settings.clock
          @executor.post do
            @outcomes << StepRunner.run(invoker, context, batch_id, clock: clock)
            @wakeup.wake
          end
        end

        def on_goodbye(goodbye)
          if @drain_requests.positive?
            @session.goodbye_acknowledged = true
            @logger.info("orchestrator acknowledged the departure of worker #{@settings.worker_id}")
          else
            @logger.info("orchestrator ended the session of worker #{@settings.worker_id} (#{goodbye['reason']}); " \
                         "registering again")
            @session.lost(now)
          end
        end

        def on_reject(reject)
          @rejection = reject["reason"]
          @logger.error("orchestrator rejected worker #{@settings.worker_id}: #{reject['reason']} " \
                        "(it speaks protocol versions #{reject['supported_versions'].join(', ')})")
        end

        def on_error(error)
          if error["code"] == "not_registered"
            @logger.info("orchestrator does not know worker #{@settings.worker_id}; registering again")
            @session.lost(now)
          else
            @logger.warn("orchestrator refused a message of worker #{@settings.worker_id}: #{error['code']} " \
                         "#{error['message']}")
          end
        end

        def report_outcomes
          until @outcomes.empty?
            @steps_held -= 1
            @outbox.report(@outcomes.pop)
          end
          flush_results
        end

        def flush_results
          return unless @session.welcomed

          @outbox.flush { |entry| send_message(entry.type, entry.body) }
        end

        def apply_requests
          if @requested_credit && @session.welcomed
            @credit = @requested_credit
            @requested_credit = nil
            send_message("CREDIT", { "credit" => @credit })
          end
          return if @drain_requests.zero?

          if @session.drain_deadline.nil?
            @session.drain_deadline = now + (@settings.drain_timeout * 1000).ceil
            @logger.info("worker #{@settings.worker_id} is draining: #{@steps_held} steps running, " \
                         "#{@outbox.pending + @outbox.unacknowledged} results to deliver")
            send_goodbye if @session.welcomed
          end
          @session.drain_deadline = now if @drain_requests > 1 && @session.drain_deadline > now
        end

        def send_goodbye
          @session.goodbye_sent = true
          send_message("GOODBYE", { "reason" => "draining" })
        end

        def keep_session_alive
          time = now
          if @session.welcomed
            if @session.silent?(time, @settings.heartbeat_liveness)
              @logger.warn("worker #{@settings.worker_id} heard nothing from the orchestrator for " \
                           "#{time - @session.last_heard_at} ms; registering again")
              @session.lost(time)
            elsif @session.heartbeat_due?(time)
              send_message("HEARTBEAT", { "sent_at" => Protocol::Timestamps.format(@settings.clock.call) })
            end
          end
          send_hello if !@session.welcomed && time >= @session.next_hello_at
        end

        def send_hello
          if @session.hellos_on_socket >= HELLOS_PER_SOCKET
            @logger.debug("worker #{@settings.worker_id} reopens its socket after #{HELLOS_PER_SOCKET} unanswered HELLOs")
            @connection.reopen
            @session.socket_reopened
          end
          sent = send_message("HELLO", {
                                "worker_id" => @settings.worker_id, "language" => LANGUAGE, "sdk_version" => VERSION,
                                "protocol_versions" => Protocol::SUPPORTED_VERSIONS,
                                "handlers" => @settings.registry.names, "concurrency" => @requested_credit || @credit,
                                "encodings" => @settings.encodings, "held_batches" => @outbox.held_batches
                              })
          # With ZMQ_IMMEDIATE a send fails until the connection is up, which is usual right after
          # connecting: try again soon, without counting it as an unanswered HELLO.
          sent ? @session.hello_sent(now) : @session.hello_not_sent(now)
        end

        # Encodes and sends without blocking; false when the socket cannot take it now.
        def send_message(type, body)
          codec = Protocol::ALWAYS_JSON.include?(type) ? Protocol::JsonCodec.instance : @session.codec
          frames = Protocol::Frames.encode(type, codec.encode(type, body))
          return false unless @connection.send_frames(frames)

          @session.sent(now)
          true
        rescue StandardError => e
          # Only a bug can get here (outputs are checked on the handler thread); dropping the
          # message keeps the loop and every other result alive.
          @logger.error("worker #{@settings.worker_id} dropped a #{type} it could not encode: #{e.class}: #{e.message}")
          true
        end

        def now
          Process.clock_gettime(Process::CLOCK_MONOTONIC, :millisecond)
        end
      end
    end
  end
end
