/**
 * Example workflows. Each has a YAML template under {@code templates/} on the classpath and Java
 * handlers here; {@link dev.tasker.examples.ExampleHandlers} serves them all and {@link
 * dev.tasker.examples.ExampleTemplates} names their templates.
 */
package dev.tasker.examples;
