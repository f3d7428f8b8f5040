package dev.heartbeat.app.runtime;

import dev.heartbeat.app.options.ConfigurationException;
import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.access.Role;
import dev.heartbeat.core.authentication.Accounts;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;

/**
 * The first admin of a dashboard that has no accounts yet, made at start: with the password an
 * operator gave (a file or the environment, never the command line), or, for the demo, a random one
 * written to a file only its owner can read. Either way the password is never logged or printed.
 * Once any account exists this does nothing.
 *
 * @param username     the admin's name
 * @param password     the password to give it, if the operator chose one
 * @param passwordFile where to write a generated password (when none was given)
 */
public record FirstAdmin(String username, Optional<String> password, Optional<Path> passwordFile) {

    public FirstAdmin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(passwordFile, "passwordFile");
        if (password.isEmpty() && passwordFile.isEmpty()) {
            throw new IllegalArgumentException("a first admin needs a password or a file to write one to");
        }
    }

    /** The password is a secret: never shown. */
    @Override
    public String toString() {
        return "FirstAdmin[username=" + username + ", password=" + (password.isPresent() ? "(given)" : "(generated)")
                + ", passwordFile=" + passwordFile.map(Path::toString).orElse("(none)") + "]";
    }

    /** Creates the admin if there are no accounts; whether it did. */
    boolean createIn(Accounts accounts) {
        if (accounts.hasAccounts()) {
            return false;
        }
        String secret = password.orElseGet(() -> accounts.randomText(18));
        try {
            if (password.isEmpty()) {
                write(passwordFile.get(), secret);
            }
            accounts.add(username, Role.ADMIN, secret);
            return true;
        } catch (InvalidValueException e) {
            throw new ConfigurationException("the first admin could not be made: " + e.getMessage());
        }
    }

    private static void write(Path file, String secret) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file); // a file left by an earlier database: its password no longer holds
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n", StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new ConfigurationException("could not write the first admin's password: " + file + " appeared meanwhile");
        } catch (IOException e) {
            throw new ConfigurationException("could not write the first admin's password to " + file + ": " + e.getMessage());
        }
    }
}
