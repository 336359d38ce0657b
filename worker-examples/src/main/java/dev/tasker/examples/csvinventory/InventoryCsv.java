package dev.tasker.examples.csvinventory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The product CSV of the inventory example: a header {@value #HEADER}, then one product per line,
 * prices with two decimals ({@code 12.34}). Fields hold no commas or quotes, so a line splits on
 * commas. {@link #write} generates one; the handlers only read. Stateless and thread-safe.
 */
public final class InventoryCsv {

  /** The header line. */
  public static final String HEADER = "product_id,sku,category,unit_price,stock";

  /** The categories {@link #write} draws from. */
  public static final List<String> CATEGORIES =
      List.of("beauty", "fragrances", "furniture", "groceries", "home-decoration", "laptops");

  private InventoryCsv() {}

  /**
   * Writes {@code rows} products to {@code file} (replacing it), the same bytes for the same
   * {@code rows} and {@code seed}: prices 0.50 to 999.99, stock 0 to 499.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void write(Path file, int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        out.write(HEADER + "\n");
        for (int i = 1; i <= rows; i++) {
          String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
          long cents = 50 + random.nextLong(99_950);
          long stock = random.nextLong(500);
          out.write(i + ",SKU-" + String.format("%05d", i) + "," + category + "," + cents / 100 + "."
              + String.format("%02d", cents % 100) + "," + stock + "\n");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Counts the products of {@code file}, after checking its header.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when the header is not {@value #HEADER}
   */
  public static long countRows(Path file) throws IOException {
    try (BufferedReader in = open(file)) {
      long rows = 0;
      while (in.readLine() != null) {
        rows++;
      }
      return rows;
    }
  }

  /**
   * The products at positions {@code [from, until)} of {@code file} (0 is the first line after
   * the header).
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when the header or a line in the range is malformed, or the
   *     file ends before {@code until}
   */
  public static List<InventoryRow> read(Path file, long from, long until) throws IOException {
    List<InventoryRow> rows = new ArrayList<>();
    try (BufferedReader in = open(file)) {
      for (long position = 0; position < until; position++) {
        String line = in.readLine();
        if (line == null) {
          throw new IllegalArgumentException(file + " ends at row " + position + ", before row " + until);
        }
        if (position >= from) {
          rows.add(InventoryRow.parse(line, position));
        }
      }
    }
    return rows;
  }

  private static BufferedReader open(Path file) throws IOException {
    BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    String header = in.readLine();
    if (!HEADER.equals(header)) {
      in.close();
      throw new IllegalArgumentException(file + " must start with the header " + HEADER + " but starts with " + header);
    }
    return in;
  }
}
