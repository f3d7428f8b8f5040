package dev.heartbeat.postgres;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of PostgreSQL that loses commit acknowledgements: it reads the server's side of
 * the protocol message by message, and when a {@code CommandComplete} for {@code COMMIT} comes (the
 * transaction is durable on the server) it closes both connections instead of passing it on, at random
 * with the given probability, up to a number of times. The client sees its connection break while
 * committing and cannot know whether the commit happened: the case exactly-once has to get right.
 *
 * <p>It understands only what it must: every server message after the startup request is a type byte
 * and a length. Clients connect with {@code sslmode=disable} and {@code gssEncMode=disable}, so the
 * server never answers a negotiation request with a single untyped byte.
 */
final class CommitDroppingProxy implements AutoCloseable {

    private static final byte COMMAND_COMPLETE = 'C';
    private static final byte[] COMMIT_TAG = "COMMIT\0".getBytes(StandardCharsets.US_ASCII);

    private final String host;
    private final int port;
    private final ServerSocket listener;
    private final SplittableRandom random;
    private final double probability;
    private final int maxDrops;
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger drops = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean armed;

    private CommitDroppingProxy(String host, int port, long seed, double probability, int maxDrops) throws IOException {
        this.host = host;
        this.port = port;
        this.random = new SplittableRandom(seed);
        this.probability = probability;
        this.maxDrops = maxDrops;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("proxy-accept").start(this::accept);
    }

    /** A proxy to {@code host:port} that, once armed, drops up to {@code maxDrops} commit acknowledgements. */
    static CommitDroppingProxy start(String host, int port, long seed, double probability, int maxDrops) throws IOException {
        return new CommitDroppingProxy(host, port, seed, probability, maxDrops);
    }

    /** The JDBC URL of {@code database} through this proxy. */
    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + listener.getLocalPort() + "/" + database
                + "?sslmode=disable&gssEncMode=disable";
    }

    /** From now on commit acknowledgements may be lost (before, a connection's setup passes untouched). */
    void arm() {
        armed = true;
    }

    /** Commits the server acknowledged while armed, lost or passed on. */
    int commits() {
        return commits.get();
    }

    /** Acknowledgements lost: connections closed right after a commit. */
    int drops() {
        return drops.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(host, port);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                Thread.ofPlatform().daemon().name("proxy-up").start(() -> copy(client, server));
                Thread.ofPlatform().daemon().name("proxy-down").start(() -> relay(server, client));
            } catch (IOException e) {
                // closed, or the server refused one connection: the client sees its connection fail
            }
        }
    }

    /** Client to server, as it is. */
    private void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed
        } finally {
            close(from, to);
        }
    }

    /** Server to client, message by message, losing a commit acknowledgement now and then. */
    private void relay(Socket from, Socket to) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(from.getInputStream(), 65_536));
             OutputStream out = new BufferedOutputStream(to.getOutputStream(), 65_536)) {
            while (true) {
                int type = in.read();
                if (type < 0) {
                    return;
                }
                int length = in.readInt();
                byte[] body = in.readNBytes(length - 4);
                if (type == COMMAND_COMPLETE && armed && Arrays.equals(body, COMMIT_TAG)) {
                    commits.incrementAndGet();
                    if (drop()) {
                        return; // the commit is durable; its acknowledgement never reaches the client
                    }
                }
                out.write(type);
                out.write(length >>> 24);
                out.write(length >>> 16);
                out.write(length >>> 8);
                out.write(length);
                out.write(body);
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            close(from, to);
        }
    }

    private synchronized boolean drop() {
        if (drops.get() < maxDrops && random.nextDouble() < probability) {
            drops.incrementAndGet();
            return true;
        }
        return false;
    }

    private void close(Socket... pair) {
        for (Socket socket : pair) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            sockets.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(socket -> close(socket));
    }
}
