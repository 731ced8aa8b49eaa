package io.visionfleet.ingest.feed;

import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Text replies to a publisher are limited to {@value #MAX_REPLIES} per connection: the first say what is wrong, more
 * would only repeat it, and a publisher that floods bad messages without reading could otherwise block the worker
 * thread that writes them. What is not replied to is still counted in the stream's status.
 */
final class ReplyBudget {
    static final int MAX_REPLIES = 16;
    private static final UserData.TypedKey<Integer> SENT = UserData.TypedKey.forInt("replies-sent");

    private ReplyBudget() {
    }

    /** Sends {@code json} unless this connection had its replies already; returns whether it was sent. */
    static boolean reply(WebSocketConnection connection, String json) {
        Integer sent = connection.userData().get(SENT);
        int count = sent == null ? 0 : sent;
        if (count >= MAX_REPLIES) {
            return false;
        }
        connection.userData().put(SENT, count + 1);
        connection.sendTextAndAwait(json);
        return true;
    }
}
