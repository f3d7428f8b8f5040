/** The picocli commands, one class per command, each turning its options into a configuration and running it. */
package dev.heartbeat.app.command;
