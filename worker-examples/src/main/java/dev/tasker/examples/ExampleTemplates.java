package dev.tasker.examples;

import java.util.List;

/** The example templates, as classpath resource names. */
public final class ExampleTemplates {

  /** Order fulfillment: {@code order_fulfillment/process_order:1.0.0}. */
  public static final String ORDER_FULFILLMENT = "templates/order_fulfillment.yaml";

  /** Diamond: {@code diamond_workflow/parallel_computation:1.0.0}. */
  public static final String DIAMOND = "templates/diamond.yaml";

  /**
   * The mixed Java and Ruby workflow: {@code polyglot/polyglot_order:1.0.0}. Its Ruby steps need a
   * Ruby worker ({@code ruby-worker/examples/polyglot.rb}).
   */
  public static final String POLYGLOT = "templates/polyglot.yaml";

  /**
   * Approval routing, a decision point and a deferred convergence:
   * {@code conditional_approval/approval_routing:1.0.0}.
   */
  public static final String APPROVAL_ROUTING = "templates/approval_routing.yaml";

  /**
   * CSV inventory analysis, batch workers with checkpoints:
   * {@code csv_processing/csv_inventory_analysis:1.0.0}.
   */
  public static final String CSV_INVENTORY = "templates/csv_inventory_analysis.yaml";

  /** Every example template. */
  public static final List<String> ALL = List.of(ORDER_FULFILLMENT, DIAMOND, POLYGLOT, APPROVAL_ROUTING, CSV_INVENTORY);

  private ExampleTemplates() {}
}
