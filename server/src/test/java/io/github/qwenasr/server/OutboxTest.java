package io.github.qwenasr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.Test;

/** The bounded outgoing queue, over a socket whose writes complete only when the test says so. */
class OutboxTest {
    /** A Session that records sends and holds their callbacks. */
    static final class FakeSocket {
        final List<String> sent = new ArrayList<>();
        final List<Callback> pending = new ArrayList<>();
        int closeCode;
        final Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
                new Class<?>[]{Session.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "sendText" -> {
                            sent.add((String) args[0]);
                            pending.add((Callback) args[1]);
                        }
                        case "close" -> {
                            if (args != null && args.length == 3) closeCode = (Integer) args[0];
                        }
                        case "isOpen" -> {
                            return true;
                        }
                        default -> {
                        }
                    }
                    return null;
                });

        void completeOne() {
            pending.removeFirst().succeed();
        }
    }

    @Test
    void oneWriteAtATimeInOrder() {
        FakeSocket s = new FakeSocket();
        List<String> failures = new ArrayList<>();
        Outbox out = new Outbox(s.session, 8, failures::add);
        assertTrue(out.send("a", Outbox.Kind.OTHER));
        assertTrue(out.send("b", Outbox.Kind.OTHER));
        assertTrue(out.send("c", Outbox.Kind.OTHER));
        assertEquals(List.of("a"), s.sent, "only one write in flight");
        s.completeOne();
        s.completeOne();
        s.completeOne();
        assertEquals(List.of("a", "b", "c"), s.sent);
        assertTrue(failures.isEmpty());
    }

    @Test
    void waitingTentativeEventsAreReplacedNotQueued() {
        FakeSocket s = new FakeSocket();
        Outbox out = new Outbox(s.session, 4, why -> { });
        out.send("first", Outbox.Kind.OTHER);
        for (int i = 0; i < 100; i++) assertTrue(out.send("tentative " + i, Outbox.Kind.TENTATIVE));
        assertEquals(1, out.queued());
        out.send("committed", Outbox.Kind.OTHER);
        out.send("tentative again", Outbox.Kind.TENTATIVE);
        while (!s.pending.isEmpty()) s.completeOne();
        assertEquals(List.of("first", "tentative 99", "committed", "tentative again"), s.sent);
    }

    @Test
    void aReaderThatFallsBehindIsDroppedWithoutBlocking() {
        FakeSocket s = new FakeSocket();
        List<String> failures = new ArrayList<>();
        Outbox out = new Outbox(s.session, 4, failures::add);
        long t0 = System.nanoTime();
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (out.send("committed " + i, Outbox.Kind.OTHER)) accepted++;
        }
        assertTrue((System.nanoTime() - t0) / 1e9 < 1, "sends never wait for the socket");
        assertEquals(5, accepted, "one in flight and four queued");
        assertEquals(List.of("the client reads events too slowly"), failures);
        assertFalse(out.send("later", Outbox.Kind.OTHER));
        assertEquals(1, failures.size(), "reported once");
    }

    @Test
    void aFailedWriteIsReportedOnce() {
        FakeSocket s = new FakeSocket();
        List<String> failures = new ArrayList<>();
        Outbox out = new Outbox(s.session, 4, failures::add);
        out.send("a", Outbox.Kind.OTHER);
        out.send("b", Outbox.Kind.OTHER);
        s.pending.removeFirst().fail(new java.io.IOException("broken pipe"));
        assertEquals(List.of("sending to the client failed"), failures);
        assertEquals(List.of("a"), s.sent, "nothing more is written after a failure");
        assertFalse(out.send("c", Outbox.Kind.OTHER));
    }

    @Test
    void closesOnlyAfterTheQueueDrains() {
        FakeSocket s = new FakeSocket();
        Outbox out = new Outbox(s.session, 4, why -> { });
        out.send("a", Outbox.Kind.OTHER);
        out.send("final", Outbox.Kind.OTHER);
        out.closeWhenDrained(1000, "done");
        assertEquals(0, s.closeCode);
        s.completeOne();
        assertEquals(0, s.closeCode);
        s.completeOne();
        assertEquals(1000, s.closeCode);
        assertEquals(List.of("a", "final"), s.sent);
        assertFalse(out.send("late", Outbox.Kind.OTHER));
    }
}
