package dev.tasker.examples.csvinventory;

import java.util.regex.Pattern;

/**
 * One product line of the inventory CSV.
 *
 * @param productId the product's id
 * @param sku its stock-keeping unit
 * @param category its category
 * @param unitPriceCents its price in cents
 * @param stock units in stock
 */
public record InventoryRow(long productId, String sku, String category, long unitPriceCents, long stock) {

  private static final Pattern PRICE = Pattern.compile("\\d+\\.\\d{2}");
  private static final Pattern WHOLE = Pattern.compile("\\d+");

  /** What the stock is worth, in cents. */
  public long valueCents() {
    return Math.multiplyExact(unitPriceCents, stock);
  }

  /**
   * Parses a line; {@code position} (0 for the first product) names it in errors.
   *
   * @throws IllegalArgumentException naming the row and the field that is malformed
   */
  public static InventoryRow parse(String line, long position) {
    String[] fields = line.split(",", -1);
    if (fields.length != 5) {
      throw new IllegalArgumentException("row " + position + " has " + fields.length + " fields, not 5: " + line);
    }
    if (!WHOLE.matcher(fields[0]).matches() || !WHOLE.matcher(fields[4]).matches()) {
      throw new IllegalArgumentException("row " + position + ": product_id and stock must be whole numbers: " + line);
    }
    if (!PRICE.matcher(fields[3]).matches()) {
      throw new IllegalArgumentException("row " + position + ": unit_price must have two decimals: " + line);
    }
    return new InventoryRow(Long.parseLong(fields[0]), fields[1], fields[2],
        Long.parseLong(fields[3].replace(".", "")), Long.parseLong(fields[4]));
  }
}
