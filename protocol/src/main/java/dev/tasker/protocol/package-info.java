/**
 * The Tasker wire protocol, version 1: the messages an orchestrator and its workers exchange, their
 * JSON encoding ({@link dev.tasker.protocol.JsonCodec}) and their multipart framing
 * ({@link dev.tasker.protocol.Frames}).
 *
 * <p>Every message is a Java record implementing {@link dev.tasker.protocol.Message}. Records are
 * immutable and therefore thread-safe. Their constructors validate required fields and throw
 * {@link java.lang.IllegalArgumentException} naming the field; the codec turns that into a
 * {@link dev.tasker.protocol.MalformedMessageException}. The language-neutral description of the
 * protocol is {@code docs/protocol.md}; it and this package must agree.
 */
package dev.tasker.protocol;
