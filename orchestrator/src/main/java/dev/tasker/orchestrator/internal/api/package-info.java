/**
 * The HTTP API, health checks, metrics endpoint and dashboard (docs/api.md), served by Javalin.
 * Not supported API: anything here may change in any release; the supported contract is the
 * OpenAPI document the server publishes.
 */
package dev.tasker.orchestrator.internal.api;
