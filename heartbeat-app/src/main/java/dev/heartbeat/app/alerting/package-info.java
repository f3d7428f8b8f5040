/** Where alerts go out of the process: the log and the Alertmanager-shaped webhook. */
package dev.heartbeat.app.alerting;
