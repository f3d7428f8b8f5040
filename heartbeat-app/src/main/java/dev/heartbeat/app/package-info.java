/**
 * The composition root: command line, configuration, wiring by hand, embedded servers.
 */
package dev.heartbeat.app;
