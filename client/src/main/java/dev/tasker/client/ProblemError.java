package dev.tasker.client;

/**
 * One field at fault in a {@link TaskerApiException}: an entry of the problem's {@code errors}.
 *
 * @param pointer a JSON path to the field, for example {@code $.order_id}
 * @param message what is wrong with it
 */
public record ProblemError(String pointer, String message) {}
