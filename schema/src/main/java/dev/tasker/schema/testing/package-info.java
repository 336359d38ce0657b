/**
 * Test support for code that needs a Tasker database: a fresh, migrated database per caller on a
 * shared server. Shipped in the main jar so that users' own integration tests can use it too.
 */
package dev.tasker.schema.testing;
