/**
 * The Tasker orchestrator: task templates ({@link dev.tasker.orchestrator.TemplateRegistry}), task
 * creation and status ({@link dev.tasker.orchestrator.TaskerClient}), and the process that keeps
 * every task and step in PostgreSQL and dispatches ready steps in batches to workers over ZeroMQ
 * ({@link dev.tasker.orchestrator.Orchestrator}).
 */
package dev.tasker.orchestrator;
