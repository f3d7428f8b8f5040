package dev.heartbeat.web;

import io.javalin.http.Context;

/**
 * Every error the API answers has one JSON shape: {@code {"error": code, "parameter": name or
 * null, "message": text}}. Messages are written for the client and never carry a stack trace or
 * an exception's internals.
 */
final class ErrorResponses {

    record ErrorView(String error, String parameter, String message) {
    }

    private ErrorResponses() {
    }

    static void send(Context ctx, int status, String error, String parameter, String message) {
        ctx.status(status).json(new ErrorView(error, parameter, message));
    }

    static void badParameter(Context ctx, BadParameterException e) {
        send(ctx, 400, "bad_parameter", e.parameter(), e.getMessage());
    }

    static void notFound(Context ctx, String message) {
        send(ctx, 404, "not_found", null, message);
    }
}
