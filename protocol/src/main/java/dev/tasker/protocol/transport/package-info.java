/**
 * Support for speaking the protocol over ZeroMQ (JeroMQ): sending and receiving multipart messages
 * without blocking, and waking a socket-owning thread from other threads. Both the orchestrator and
 * the Java worker SDK use it; a port to another language needs its own equivalent.
 */
package dev.tasker.protocol.transport;
