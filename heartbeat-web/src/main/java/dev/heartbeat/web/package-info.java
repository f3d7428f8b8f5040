/**
 * The live dashboard: a JSON API, server-sent events and a static page, over core ports only.
 */
package dev.heartbeat.web;
