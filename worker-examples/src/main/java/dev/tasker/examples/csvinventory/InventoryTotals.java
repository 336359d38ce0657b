package dev.tasker.examples.csvinventory;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Inventory figures over some rows: how many, units in stock, stock value in cents and rows per
 * category. Immutable; in JSON (outputs and checkpoints, the same in Java and Ruby) {@code
 * {"rows", "units", "inventory_value_cents", "categories": {name: rows}}}.
 */
public record InventoryTotals(long rows, long units, long inventoryValueCents, SortedMap<String, Long> categories) {

  /** No rows. */
  public static final InventoryTotals EMPTY = new InventoryTotals(0, 0, 0, new TreeMap<>());

  /** Copies the categories. */
  public InventoryTotals {
    categories = Collections.unmodifiableSortedMap(new TreeMap<>(categories));
  }

  /** These figures with one more row. */
  public InventoryTotals plus(InventoryRow row) {
    SortedMap<String, Long> counts = new TreeMap<>(categories);
    counts.merge(row.category(), 1L, Long::sum);
    return new InventoryTotals(rows + 1, units + row.stock(), Math.addExact(inventoryValueCents, row.valueCents()), counts);
  }

  /** These figures and {@code other}'s together. */
  public InventoryTotals plus(InventoryTotals other) {
    SortedMap<String, Long> counts = new TreeMap<>(categories);
    other.categories.forEach((name, count) -> counts.merge(name, count, Long::sum));
    return new InventoryTotals(rows + other.rows, units + other.units,
        Math.addExact(inventoryValueCents, other.inventoryValueCents), counts);
  }

  /** The JSON shape, as a map. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("rows", rows);
    map.put("units", units);
    map.put("inventory_value_cents", inventoryValueCents);
    map.put("categories", categories);
    return map;
  }

  /**
   * Reads the JSON shape; a missing field counts as 0.
   *
   * @throws IllegalArgumentException when a field is not a whole number
   */
  public static InventoryTotals fromJson(JsonNode json) {
    SortedMap<String, Long> counts = new TreeMap<>();
    json.path("categories").fields().forEachRemaining(entry -> counts.put(entry.getKey(), whole(entry.getValue(), entry.getKey())));
    return new InventoryTotals(whole(json.path("rows"), "rows"), whole(json.path("units"), "units"),
        whole(json.path("inventory_value_cents"), "inventory_value_cents"), counts);
  }

  private static long whole(JsonNode value, String name) {
    if (value.isMissingNode()) {
      return 0;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException(name + " must be a whole number but was " + value);
    }
    return value.asLong();
  }
}
