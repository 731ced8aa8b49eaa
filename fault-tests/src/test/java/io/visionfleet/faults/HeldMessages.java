package io.visionfleet.faults;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.visionfleet.common.testing.Broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** What a queue of numbered messages ({@code "<run> <seq>"}) still holds, taken out of it. */
final class HeldMessages {
    private HeldMessages() {
    }

    /** Takes every ready message out of {@code queue} and returns their sequence numbers. */
    static Set<Long> drain(String queue) throws IOException, TimeoutException {
        Set<Long> seqs = new HashSet<>();
        try (Connection c = Broker.get().connect(); Channel ch = c.createChannel()) {
            for (GetResponse r = ch.basicGet(queue, true); r != null; r = ch.basicGet(queue, true)) {
                seqs.add(seq(r.getBody()));
            }
        }
        return seqs;
    }

    static long seq(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return Long.parseLong(text.substring(text.lastIndexOf(' ') + 1));
    }
}
