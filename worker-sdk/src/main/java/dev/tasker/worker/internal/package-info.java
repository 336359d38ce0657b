/**
 * Implementation of the worker SDK. Not supported API: anything here may change in any release.
 */
package dev.tasker.worker.internal;
