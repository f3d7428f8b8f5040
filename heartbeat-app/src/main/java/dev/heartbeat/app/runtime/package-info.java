/** A configured process: its configuration, the wiring of adapters into it, its servers, readiness and shutdown. */
package dev.heartbeat.app.runtime;
