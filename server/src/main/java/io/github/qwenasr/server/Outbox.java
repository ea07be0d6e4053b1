package io.github.qwenasr.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The bounded outgoing queue of one WebSocket: one message in flight at a time, the rest queued.
 * A tentative event still waiting replaces the previous waiting one (only the newest hypothesis
 * matters), so a slow reader costs at most {@code capacity} queued messages; a client that falls
 * further behind, or whose connection fails a send, is reported through {@code onFailure} once, and
 * nothing it does blocks the thread that decodes (sends never wait).
 */
final class Outbox {
    /** What a queued message is, for replacement. */
    enum Kind { TENTATIVE, OTHER }

    private record Message(String text, Kind kind) {}

    private final Session session;
    private final int capacity;
    private final Consumer<String> onFailure;
    private final Deque<Message> queue = new ArrayDeque<>();
    private boolean sending;
    private boolean failed;
    /** Close status sent once the queue is empty, or 0. */
    private int closeCode;
    private String closeReason;

    Outbox(Session session, int capacity, Consumer<String> onFailure) {
        this.session = session;
        this.capacity = capacity;
        this.onFailure = onFailure;
    }

    /** Queues a message; false when the outbox has failed or closed. */
    boolean send(String text, Kind kind) {
        Message next = null;
        boolean overflow = false;
        synchronized (this) {
            if (failed || closeCode != 0) return false;
            if (kind == Kind.TENTATIVE && !queue.isEmpty() && queue.peekLast().kind() == Kind.TENTATIVE) {
                queue.pollLast();
            }
            if (queue.size() >= capacity) {
                failed = true;
                overflow = true;
                queue.clear();
            } else {
                queue.addLast(new Message(text, kind));
                next = takeIfIdle();
            }
        }
        if (overflow) {
            onFailure.accept("the client reads events too slowly");
            return false;
        }
        if (next != null) write(next);
        return true;
    }

    /** Sends everything queued, then closes the socket with this status. */
    void closeWhenDrained(int code, String reason) {
        boolean now;
        synchronized (this) {
            if (closeCode != 0) return;
            closeCode = code;
            closeReason = reason;
            now = !sending && queue.isEmpty();
        }
        if (now) session.close(code, reason, Callback.NOOP);
    }

    /** Messages waiting (not counting the one being written). */
    synchronized int queued() {
        return queue.size();
    }

    private Message takeIfIdle() {
        if (sending || queue.isEmpty()) return null;
        sending = true;
        return queue.pollFirst();
    }

    private void write(Message m) {
        try {
            session.sendText(m.text(), Callback.from(this::written, this::writeFailed));
        } catch (RuntimeException e) {
            writeFailed(e);
        }
    }

    private void written() {
        Message next;
        boolean close;
        synchronized (this) {
            sending = false;
            next = failed ? null : takeIfIdle();
            close = next == null && closeCode != 0 && queue.isEmpty();
        }
        if (next != null) {
            write(next);
        } else if (close) {
            session.close(closeCode, closeReason, Callback.NOOP);
        }
    }

    private void writeFailed(Throwable t) {
        synchronized (this) {
            sending = false;
            if (failed) return;
            failed = true;
            queue.clear();
        }
        onFailure.accept("sending to the client failed");
    }
}
