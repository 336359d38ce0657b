package dev.tasker.client;

/**
 * Which page of a list to fetch: keyset pagination, so pages stay consistent while tasks are
 * created.
 *
 * @param limit at most this many items (the API accepts 1 to 500)
 * @param after the cursor from the previous page ({@link TaskPage#next()}), or {@code null} for
 *     the first page
 */
public record Page(int limit, String after) {

  /** The API's default page size for tasks. */
  public static final int DEFAULT_LIMIT = 50;

  /** The first page, of at most {@code limit} items. */
  public static Page first(int limit) {
    return new Page(limit, null);
  }

  /** The first page, of at most {@value #DEFAULT_LIMIT} items. */
  public static Page first() {
    return first(DEFAULT_LIMIT);
  }
}
