# frozen_string_literal: true

module Tasker
  class Worker
    module Internal
      # The thread that owns the worker's DEALER sockets, one per orchestrator ({Sessions}). On each
      # session it registers with HELLO, receives batches and hands their steps to the handler pool,
      # heartbeats, and registers again when that orchestrator goes silent or forgets the worker. It
      # numbers and sends the results handler threads queue on the session each batch came from, or
      # on another welcomed one when that session is lost; shares the credit among the welcomed
      # sessions; and drains on request. No other thread touches the sockets: they queue work and
      # call {WakeupSignal#wake}.
      class WorkerLoop
        LANGUAGE = "ruby"
        MAX_POLL_MS = 1000
        # Milliseconds without a WELCOME, with CURVE configured, before the worker warns once.
        NO_WELCOME_WARNING_MS = 5000
        # A connection that never completes its handshake would never deliver: after this many
        # unanswered HELLOs a new socket (and TCP connection) is the cure, as in ZeroMQ's "lazy
        # pirate" pattern.
        HELLOS_PER_SOCKET = 3

        # @return [String, nil] the orchestrators' reason when every one rejected the worker
        attr_reader :rejection
        # @return [Boolean] whether the loop ended at its drain deadline with work left
        attr_reader :drain_timed_out
        # @return [Integer] how many orchestrators have the worker welcomed now (any thread may read)
        attr_reader :welcomed_sessions

        # @param settings [Settings]
        # @param executor [#post] runs handler invocations (a fixed pool of settings.concurrency)
        # @param registered [Concurrent::Event] set on the first WELCOME
        def initialize(settings, executor, registered)
          @settings = settings
          @executor = executor
          @registered = registered
          @logger = settings.logger
          @wakeup = WakeupSignal.new
          @outcomes = Thread::Queue.new
          @outbox = ResultOutbox.new(settings.worker_id, settings.clock, @logger)
          @drain_requests = 0
          @requested_credit = nil
          @credit = settings.concurrency
          @steps_held = 0
          @welcomed_sessions = 0
          # A session was lost or dropped since the others last heard which batches this worker holds.
          @session_gone = false
        end

        # Asks the loop to drain. Any thread, and trap handlers: it takes no lock. A second request
        # gives up waiting at once.
        def request_drain
          @drain_requests += 1
          @wakeup.wake
        end

        # Whether a drain was requested.
        def drain_requested? = @drain_requests.positive?

        # Asks the loop to announce a new credit (CREDIT), shared among the sessions. Any thread.
        def request_credit(credit)
          @requested_credit = credit
          @wakeup.wake
        end

        # Runs until rejected, or drained. Call on the thread that is to own the sockets.
        def run
          context = ZMQ::Context.new
          @sessions = Sessions.new(context, @settings, @wakeup)
          @settings.endpoints.each { |endpoint| send_hello(@sessions.open(endpoint, now)) }
          run_once until finished?
        ensure
          @sessions&.close_all
          context&.terminate
        end

        # One turn of the loop: waits for a message, a wake-up or the next deadline (at most
        # +max_wait_ms+), then does whatever is due.
        def run_once(max_wait_ms = nil)
          readable, woken = @sessions.poll(max_wait_ms ? [poll_timeout, max_wait_ms].min : poll_timeout)
          @wakeup.clear if woken
          readable.each { |session| receive_all(session) }
          report_outcomes
          apply_requests
          keep_sessions_alive
          reroute_results
          @welcomed_sessions = @sessions.welcomed.size
        end

        # Closes the wake-up pipe; call once the handler pool has stopped.
        def close
          @wakeup.close
        end

        private

        def finished?
          return true if @rejection
          return false if @drain_requests.zero? || @drain_deadline.nil?

          if now >= @drain_deadline
            warn_unfinished if @steps_held.positive? || @outbox.pending.positive? || @outbox.unacknowledged.positive?
            return true
          end
          return false if @steps_held.positive? || @outbox.pending.positive?

          # Leave once an orchestrator has stored every result (it acknowledges after its commit) and
          # every orchestrator still there has answered the GOODBYE.
          @outbox.unacknowledged.zero? && @sessions.all.all? { |s| s.goodbye_acknowledged || !s.welcomed }
        end

        def warn_unfinished
          @drain_timed_out = true
          @logger.warn("worker #{@settings.worker_id} stops after its drain timeout with #{@steps_held} steps running, " \
                       "#{@outbox.pending} results unsent and #{@outbox.unacknowledged} unacknowledged")
        end

        def poll_timeout
          deadline = @sessions.next_deadline(now + MAX_POLL_MS)
          deadline = [deadline, @drain_deadline].min if @drain_deadline
          [deadline - now, 1].max
        end

        def receive_all(session)
          # A message can close the session (a second session with one orchestrator, a REJECT).
          while @sessions.all.include?(session) && (frames = session.connection.receive)
            session.heard(now)
            receive(session, frames)
            # Handling can take a while: that is not the orchestrator's silence.
            session.heard(now)
          end
        end

        def receive(session, frames)
          type, body = Protocol::Frames.parse(frames, max_body_bytes: @settings.max_body_bytes)
          unless Protocol::TO_WORKER.include?(type)
            raise Protocol::RefusedMessage.new("unexpected_message", "#{type} is never sent to a worker", message_type: type)
          end

          codec = Protocol::ALWAYS_JSON.include?(type) ? Protocol::JsonCodec.instance : session.codec
          dispatch(session, type, Protocol::MessageChecks.check(type, codec.decode(type, body)))
        rescue Protocol::RefusedMessage => e
          @logger.warn("worker #{@settings.worker_id} refused a message from the orchestrator at #{session.endpoint}: " \
                       "#{e.code}: #{e.message}")
          # Never answer an ERROR with an ERROR, even one whose other frames are wrong.
          send_message(session, "ERROR", e.to_error_body) unless frames.size >= 2 && frames[1].b == "ERROR"
        rescue StandardError => e
          @logger.error("worker #{@settings.worker_id} failed to handle a message: #{e.class}: #{e.message}")
        end

        def dispatch(session, type, body)
          case type
          when "WELCOME" then on_welcome(session, body)
          when "STEP_BATCH" then on_batch(session, body)
          when "ACK" then @outbox.acknowledged(body)
          when "GOODBYE" then on_goodbye(session, body)
          when "REJECT" then on_reject(session, body)
          when "ERROR" then on_error(session, body)
          end
        end

        def on_welcome(session, welcome)
          check_welcome(welcome)
          again = session.answers_hello_again?
          unless session.welcomed
            @logger.info("worker #{@settings.worker_id} registered with orchestrator #{welcome['orchestrator_id']} " \
                         "at #{session.endpoint} (protocol #{welcome['protocol_version']}, encoding " \
                         "#{welcome['encoding']}, heartbeat #{welcome['heartbeat_interval_ms']} ms)")
          end
          session.welcome(welcome, Protocol.codec(welcome["encoding"]))
          return if close_duplicate(session)

          @registered.set
          @outbox.resend_unacknowledged(session.id) unless again
          @sessions.discover(welcome, now).each { |discovered| send_hello(discovered) } if @settings.discover
          rebalance
          send_goodbye(session) if @drain_requests.positive? && !session.goodbye_sent
          flush_results(session)
        end

        def check_welcome(welcome)
          unless @settings.encodings.include?(welcome["encoding"])
            raise Protocol::MalformedBody.new("WELCOME at encoding: '#{welcome['encoding']}' was not offered " \
                                              "(offered: #{@settings.encodings.join(', ')})", message_type: "WELCOME")
          end
          return if Protocol::SUPPORTED_VERSIONS.include?(welcome["protocol_version"])

          raise Protocol::MalformedBody.new("WELCOME at protocol_version: '#{welcome['protocol_version']}' was not " \
                                            "offered (offered: #{Protocol::SUPPORTED_VERSIONS.join(', ')})",
                                            message_type: "WELCOME")
        end

        # The same orchestrator by two endpoints: the newer session goes, its results to the older.
        # Returns whether +session+ itself went.
        def close_duplicate(session)
          other = @sessions.same_orchestrator(session) or return false
          newer, older = other.id > session.id ? [other, session] : [session, other]
          @outbox.move(newer.id, older.id)
          @sessions.close(newer)
          rebalance if newer.equal?(session)
          newer.equal?(session)
        end

        def on_batch(session, batch)
          batch_id = batch["batch_id"]
          unless @outbox.open(batch_id, batch["steps"].size, session.id)
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
            attempt: metadata["attempt"], max_attempts: metadata["max_attempts"], timeout_ms: metadata["timeout_ms"],
            inputs: step["inputs"], checkpoint: step["checkpoint"]
          )
          invoker = @settings.registry.fetch(step["handler"])
          clock = @settings.clock
          @executor.post do
            @outcomes << StepRunner.run(invoker, context, batch_id, clock: clock)
            @wakeup.wake
          end
        end

        def on_goodbye(session, goodbye)
          if @drain_requests.positive?
            session.goodbye_acknowledged = true
            @logger.info("orchestrator at #{session.endpoint} acknowledged the departure of worker #{@settings.worker_id}")
          else
            @logger.info("orchestrator ended #{session} of worker #{@settings.worker_id} (#{goodbye['reason']}); " \
                         "registering again")
            session_lost(session)
          end
        end

        def on_reject(session, reject)
          @logger.error("orchestrator at #{session.endpoint} rejected worker #{@settings.worker_id}: #{reject['reason']} " \
                        "(it speaks protocol versions #{reject['supported_versions'].join(', ')})")
          other = @sessions.another_welcomed(session)
          return @rejection = reject["reason"] if other.nil? && @sessions.all.size == 1

          if other
            @outbox.move(session.id, other.id)
            @session_gone = true
          end
          @sessions.close(session)
          rebalance
        end

        def on_error(session, error)
          if error["code"] == "not_registered"
            @logger.info("orchestrator at #{session.endpoint} does not know worker #{@settings.worker_id}; registering again")
            session_lost(session)
          else
            @logger.warn("orchestrator at #{session.endpoint} refused a message of worker #{@settings.worker_id}: " \
                         "#{error['code']} #{error['message']}")
          end
        end

        def session_lost(session)
          session.lost(now)
          @session_gone = true
          rebalance
        end

        def rebalance
          @sessions.rebalance(@credit) { |session, credit| send_message(session, "CREDIT", { "credit" => credit }) }
        end

        def report_outcomes
          until @outcomes.empty?
            @steps_held -= 1
            @outbox.report(@outcomes.pop)
          end
          @sessions.welcomed.each { |session| flush_results(session) }
        end

        def flush_results(session)
          return unless session.welcomed

          @outbox.flush(session.id) { |entry| send_message(session, entry.type, entry.body) }
        end

        def apply_requests
          if @requested_credit
            @credit = @requested_credit
            @requested_credit = nil
            rebalance
          end
          return if @drain_requests.zero?

          if @drain_deadline.nil?
            @drain_deadline = now + (@settings.drain_timeout * 1000).ceil
            @logger.info("worker #{@settings.worker_id} is draining: #{@steps_held} steps running, " \
                         "#{@outbox.pending + @outbox.unacknowledged} results to deliver")
            @sessions.welcomed.each { |session| send_goodbye(session) }
          end
          @drain_deadline = now if @drain_requests > 1 && @drain_deadline > now
        end

        def send_goodbye(session)
          session.goodbye_sent = true
          send_message(session, "GOODBYE", { "reason" => "draining" })
        end

        def keep_sessions_alive
          time = now
          @sessions.all.dup.each do |session|
            if session.silent?(time, @settings.heartbeat_liveness)
              @logger.warn("worker #{@settings.worker_id} heard nothing from #{session} for " \
                           "#{time - session.last_heard_at} ms; registering again")
              session_lost(session)
            elsif session.heartbeat_due?(time)
              send_message(session, "HEARTBEAT", { "sent_at" => Protocol::Timestamps.format(@settings.clock.call) })
            end
            send_hello(session) if session.hello_due?(time)
            warn_welcome_overdue(session) if @settings.curve && session.welcome_overdue?(time, NO_WELCOME_WARNING_MS)
          end
        end

        # Names no key: the keys to check are in the orchestrator's and the worker's settings.
        def warn_welcome_overdue(session)
          @logger.warn("worker #{@settings.worker_id} has no WELCOME from #{session.endpoint} after " \
                       "#{NO_WELCOME_WARNING_MS / 1000} s: if the orchestrator there uses CURVE, check that this " \
                       "worker's public key is in its authorized keys file (curve_authorized_keys_file) and that " \
                       "the server key this worker was given is the orchestrator's public key; the orchestrator " \
                       "logs the connections it refuses")
        end

        # Moves the results of sessions that are not welcomed to a welcomed one (any orchestrator
        # applies them), then, after a move or a lost session, says HELLO again on every welcomed
        # session so each knows every batch the worker holds. Also when nothing moved: a batch the
        # lost orchestrator sent that never arrived is missing from that list, and is run again for it.
        def reroute_results
          moved = @sessions.all.select do |lost|
            target = !lost.welcomed && @sessions.another_welcomed(lost)
            target && @outbox.move(lost.id, target.id)
          end
          return if moved.empty? && !@session_gone

          @session_gone = false

          @sessions.welcomed.each do |session|
            session.hello_again!
            # Registering again ends a drain on the orchestrator's side: GOODBYE follows the WELCOME.
            session.goodbye_sent = false
            session.goodbye_acknowledged = false
            session.credit = [session.credit, 1].max
            send_message(session, "HELLO", hello_body(session.credit))
            flush_results(session)
          end
        end

        def send_hello(session)
          if session.hellos_on_socket >= HELLOS_PER_SOCKET
            @logger.debug("worker #{@settings.worker_id} reopens its socket to #{session.endpoint} after " \
                          "#{HELLOS_PER_SOCKET} unanswered HELLOs")
            session.connection.reopen
            session.socket_reopened
          end
          # The share this session would have were every session welcomed; the CREDITs that follow
          # its WELCOME correct it.
          session.credit = CreditSplit.hello_share(@requested_credit || @credit, @sessions.all.size)
          # With ZMQ_IMMEDIATE a send fails until the connection is up, which is usual right after
          # connecting: try again soon, without counting it as an unanswered HELLO.
          send_message(session, "HELLO", hello_body(session.credit)) ? session.hello_sent(now) : session.hello_not_sent(now)
        end

        def hello_body(concurrency)
          { "worker_id" => @settings.worker_id, "language" => LANGUAGE, "sdk_version" => VERSION,
            "protocol_versions" => Protocol::SUPPORTED_VERSIONS, "handlers" => @settings.registry.names,
            "concurrency" => concurrency, "encodings" => @settings.encodings, "held_batches" => @outbox.held_batches }
        end

        # Encodes and sends without blocking; false when the socket cannot take it now.
        def send_message(session, type, body)
          codec = Protocol::ALWAYS_JSON.include?(type) ? Protocol::JsonCodec.instance : session.codec
          frames = Protocol::Frames.encode(type, codec.encode(type, body))
          return false unless session.connection.send_frames(frames)

          session.sent(now)
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
