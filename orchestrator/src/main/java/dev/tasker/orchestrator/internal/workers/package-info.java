/**
 * Worker lifecycle as the database records it: workers registering, heard from, draining, gone or
 * dead, and the steps a lost worker held (or an undeliverable batch carried) given back to the
 * dispatcher. The live sessions themselves are the transport's. Implementation of the
 * orchestrator; not supported API, may change in any release.
 */
package dev.tasker.orchestrator.internal.workers;
