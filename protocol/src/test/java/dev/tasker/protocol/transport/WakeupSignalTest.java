package dev.tasker.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import org.junit.jupiter.api.Test;

class WakeupSignalTest {

  @Test
  void waking_an_owner_that_has_already_stopped_does_nothing() {
    WakeupSignal signal = new WakeupSignal();
    signal.close();

    assertThatCode(signal::wake).doesNotThrowAnyException();
  }

  @Test
  void an_interrupted_caller_wakes_the_owner_keeps_its_interrupt_and_leaves_the_signal_usable() throws Exception {
    WakeupSignal signal = new WakeupSignal();
    try {
      Thread.currentThread().interrupt();
      signal.wake();
      boolean stillInterrupted = Thread.interrupted();

      ByteBuffer buffer = ByteBuffer.allocate(8);
      int read = ((Pipe.SourceChannel) signal.channel()).read(buffer);
      signal.clear();
      signal.wake();

      assertThat(stillInterrupted).isTrue();
      assertThat(read).isEqualTo(1);
      assertThat(signal.channel().isOpen()).isTrue();
      assertThat(((Pipe.SourceChannel) signal.channel()).read(ByteBuffer.allocate(8))).isEqualTo(1);
    } finally {
      Thread.interrupted();
      signal.close();
    }
  }
}
