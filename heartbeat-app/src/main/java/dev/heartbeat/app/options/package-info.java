/** The command line's vocabulary: option groups (picocli mixins), their conversions and checks, configuration errors and exit codes. */
package dev.heartbeat.app.options;
