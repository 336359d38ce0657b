package dev.tasker.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

class WakeupSignalTest {

  @Test
  void a_wake_makes_the_owners_poll_return_and_clear_consumes_it() {
    try (ZContext context = new ZContext()) {
      WakeupSignal signal = new WakeupSignal(context);
      ZMQ.Poller poller = context.createPoller(1);
      int index = poller.register(signal.socket(), ZMQ.Poller.POLLIN);

      signal.wake();
      signal.wake();
      poller.poll(5_000);
      boolean woken = poller.pollin(index);
      signal.clear();
      poller.poll(0);

      assertThat(woken).isTrue();
      assertThat(poller.pollin(index)).as("readable after clear").isFalse();
      poller.close();
      signal.close();
    }
  }

  @Test
  void waking_an_owner_that_has_already_stopped_does_nothing() {
    try (ZContext context = new ZContext()) {
      WakeupSignal signal = new WakeupSignal(context);
      signal.close();

      assertThatCode(signal::wake).doesNotThrowAnyException();
    }
  }

  @Test
  void an_interrupted_caller_wakes_the_owner_keeps_its_interrupt_and_leaves_the_signal_usable() {
    try (ZContext context = new ZContext()) {
      WakeupSignal signal = new WakeupSignal(context);
      ZMQ.Poller poller = context.createPoller(1);
      int index = poller.register(signal.socket(), ZMQ.Poller.POLLIN);
      try {
        Thread.currentThread().interrupt();
        signal.wake();
        boolean stillInterrupted = Thread.interrupted();
        poller.poll(5_000);
        boolean first = poller.pollin(index);
        signal.clear();
        signal.wake();
        poller.poll(5_000);

        assertThat(stillInterrupted).isTrue();
        assertThat(first).isTrue();
        assertThat(poller.pollin(index)).as("woken again after the interrupted wake").isTrue();
      } finally {
        Thread.interrupted();
        poller.close();
        signal.close();
      }
    }
  }

  /**
   * The fault an NIO pipe had: once a ROUTER in the same poller had received a message, JeroMQ
   * reported the pipe readable on every poll, so the owner spun instead of waiting. With nothing
   * to read, a poll must wait out its timeout.
   */
  @Test
  void the_owners_poll_waits_when_there_is_nothing_to_do_after_socket_traffic() {
    try (ZContext context = new ZContext()) {
      ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
      int port = router.bindToRandomPort("tcp://127.0.0.1");
      ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
      dealer.connect("tcp://127.0.0.1:" + port);
      WakeupSignal signal = new WakeupSignal(context);
      ZMQ.Poller poller = context.createPoller(2);
      int routerIndex = poller.register(router, ZMQ.Poller.POLLIN);
      int wakeupIndex = poller.register(signal.socket(), ZMQ.Poller.POLLIN);

      signal.wake();
      dealer.send("work");
      int received = 0;
      while (received == 0) {
        poller.poll(5_000);
        if (poller.pollin(wakeupIndex)) {
          signal.clear();
        }
        if (poller.pollin(routerIndex)) {
          while (router.recv(ZMQ.DONTWAIT) != null) {
            received++;
          }
        }
      }
      int spurious = 0;
      long until = System.nanoTime() + 300_000_000L;
      int polls = 0;
      while (System.nanoTime() < until) {
        poller.poll(100);
        polls++;
        if (poller.pollin(wakeupIndex)) {
          spurious++;
          signal.clear();
        }
      }

      assertThat(spurious).as("wake-ups reported with nobody waking").isZero();
      // A busy loop polls tens of thousands of times in 300 ms; waiting polls about three times.
      assertThat(polls).as("polls in 300 ms of 100 ms each").isLessThan(50);
      poller.close();
      signal.close();
    }
  }

  /**
   * Several threads queue work and wake the owner, which clears the signal and then takes the
   * queue, as the transport and the worker loops do. A lost wake-up leaves an item waiting for the
   * owner's poll timeout (10 s here); the pending flag once got stuck that way when a wake came
   * while the owner was clearing.
   */
  @Test
  void no_wake_is_lost_when_several_threads_wake_the_owner_at_once() throws Exception {
    try (ZContext context = new ZContext()) {
      WakeupSignal signal = new WakeupSignal(context);
      ConcurrentLinkedQueue<Long> queued = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      long[] longestWaitNanos = new long[1];
      long[] taken = new long[1];
      Thread owner = new Thread(() -> {
        ZMQ.Poller poller = context.createPoller(1);
        int index = poller.register(signal.socket(), ZMQ.Poller.POLLIN);
        while (!stop.get()) {
          poller.poll(10_000);
          if (poller.pollin(index)) {
            signal.clear();
          }
          Long at;
          while ((at = queued.poll()) != null) {
            longestWaitNanos[0] = Math.max(longestWaitNanos[0], System.nanoTime() - at);
            taken[0]++;
          }
        }
        poller.close();
      });
      owner.start();
      List<Thread> wakers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread waker = new Thread(() -> {
          for (int i = 0; i < 3_000; i++) {
            queued.add(System.nanoTime());
            signal.wake();
            if (i % 10 == 0) {
              LockSupport.parkNanos(200_000);
            }
          }
        });
        wakers.add(waker);
        waker.start();
      }
      for (Thread waker : wakers) {
        waker.join();
      }
      long until = System.nanoTime() + 20_000_000_000L;
      while (!queued.isEmpty() && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      stop.set(true);
      signal.wake();
      owner.join(20_000);

      assertThat(owner.isAlive()).isFalse();
      assertThat(taken[0]).isEqualTo(12_000);
      assertThat(longestWaitNanos[0] / 1_000_000).as("longest wait for a woken owner, ms").isLessThan(5_000);
      signal.close();
    }
  }
}
