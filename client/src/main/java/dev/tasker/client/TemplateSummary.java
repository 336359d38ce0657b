package dev.tasker.client;

import java.time.Instant;

/**
 * A task template the orchestrators know ({@code GET /v1/templates}).
 *
 * @param namespace its namespace
 * @param name its name
 * @param version its version
 * @param description what it does, or {@code null}
 * @param createdAt when it was first stored
 * @param stepCount how many steps it has
 */
public record TemplateSummary(
    String namespace, String name, String version, String description, Instant createdAt, int stepCount) {

  /** {@code namespace/name:version}. */
  public String fullName() {
    return namespace + "/" + name + ":" + version;
  }
}
