package dev.tasker.orchestrator.internal.creation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskTemplate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The identity of a task for idempotent creation: sha-256 of the template's full name and either
 * the request's idempotency key or its context in canonical form (object keys sorted at every
 * level), so that the same context written with keys in another order is the same task.
 */
public final class IdentityHash {

  private IdentityHash() {}

  /** The hex digest for {@code request} against {@code template}. */
  public static String of(TaskTemplate template, TaskRequest request) {
    String identity =
        request.idempotencyKey() != null
            ? "key:" + request.idempotencyKey()
            : "context:" + canonical(request.context()).toString();
    return sha256(template.fullName() + "\n" + identity);
  }

  /** {@code node} with object keys sorted at every level. */
  static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      ObjectNode sorted = JsonNodeFactory.instance.objectNode();
      List<String> names = new ArrayList<>();
      Iterator<String> it = node.fieldNames();
      it.forEachRemaining(names::add);
      names.sort(null);
      for (String name : names) {
        sorted.set(name, canonical(node.get(name)));
      }
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> array.add(canonical(item)));
      return array;
    }
    return node;
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
