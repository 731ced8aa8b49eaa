package io.visionfleet.common.testing;

import io.visionfleet.common.concurrent.DaemonThreads;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to a RabbitMQ broker that can withhold the broker's answers of one kind (AMQP 0-9-1 method frames, by
 * class and method id) while everything else flows, heartbeats included: a broker that is alive but leaves a call
 * unanswered, as a node of a cluster may while it removes the queues of a restarted peer.
 */
public final class AnswerWithholdingProxy implements AutoCloseable {
    private static final int METHOD_FRAME = 1;
    private static final int NONE = -1;

    private final ServerSocket server;
    private final String host;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile int withheld = NONE;

    private AnswerWithholdingProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        DaemonThreads.thread("proxy-accept", this::accept).start();
    }

    /** Starts relaying from a free loopback port to the broker at {@code host:port}. */
    public static AnswerWithholdingProxy to(String host, int port) throws IOException {
        return new AnswerWithholdingProxy(host, port);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** From now on the broker's method frames of {@code classId.methodId} (queue.declare-ok: 50, 11) are dropped. */
    public void withhold(int classId, int methodId) {
        withheld = classId << 16 | methodId;
    }

    /** Lets every frame through again; what was withheld stays lost. */
    public void release() {
        withheld = NONE;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket(host, port);
                sockets.add(client);
                sockets.add(broker);
                DaemonThreads.thread("proxy-up", () -> copy(client, broker)).start();
                DaemonThreads.thread("proxy-down", () -> relayFrames(broker, client)).start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException closed) {
            // one side went: the other follows when the proxy closes
        }
    }

    /** Broker to client, frame by frame: type, channel, size, payload, end marker. */
    private void relayFrames(Socket from, Socket to) {
        try (DataInputStream in = new DataInputStream(from.getInputStream());
             DataOutputStream out = new DataOutputStream(to.getOutputStream())) {
            while (true) {
                int type = in.readUnsignedByte();
                int channel = in.readUnsignedShort();
                int size = in.readInt();
                byte[] payload = in.readNBytes(size);
                int end = in.readUnsignedByte();
                boolean drop = type == METHOD_FRAME && size >= 4
                        && ((payload[0] & 0xff) << 24 | (payload[1] & 0xff) << 16 | (payload[2] & 0xff) << 8 | (payload[3] & 0xff)) == withheld;
                if (!drop) {
                    out.writeByte(type);
                    out.writeShort(channel);
                    out.writeInt(size);
                    out.write(payload);
                    out.writeByte(end);
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // the connection ended
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
