/** Implementation of the HTTP client. Not supported API: anything here may change in any release. */
package dev.tasker.client.internal;
