package dev.heartbeat.postgres;

/** A COPY the driver could not complete; the SQLException or IOException is the cause. */
final class CopyFailedException extends RuntimeException {

    CopyFailedException(String what, Exception cause) {
        super("COPY into " + what + " failed: " + cause.getMessage(), cause);
    }
}
