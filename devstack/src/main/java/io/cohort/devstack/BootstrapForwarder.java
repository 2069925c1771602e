package io.cohort.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Forwards a fixed local port to the broker's listener, byte for byte, so the local run can offer
 * Kafka on the well-known port 9092 while the broker itself listens where the test kit bound it.
 */
final class BootstrapForwarder implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;

    private BootstrapForwarder(ServerSocket server, String targetHost, int targetPort) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    static BootstrapForwarder start(int port, String targetHost, int targetPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        BootstrapForwarder forwarder = new BootstrapForwarder(server, targetHost, targetPort);
        daemon("kafka-forward-accept", forwarder::acceptLoop).start();
        return forwarder;
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket(targetHost, targetPort);
                daemon("kafka-forward-up", () -> pump(client, broker)).start();
                daemon("kafka-forward-down", () -> pump(broker, client)).start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("devstack: kafka forwarder: " + e.getMessage());
                }
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed; closing both below ends the other pump too
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
