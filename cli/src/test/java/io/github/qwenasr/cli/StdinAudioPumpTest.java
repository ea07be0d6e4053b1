package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.qwenasr.audio.IncrementalPcmReader;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link StdinAudioPump#stop()} (Ctrl-C) ends the input at once while the producer keeps stdin open:
 * neither a reader blocked in a read that ignores interrupts (as a read of System.in does) nor a
 * full queue of blocks still to decode delays the end.
 */
class StdinAudioPumpTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    /**
     * Raw PCM: {@code available} bytes of silence at once, then a read that blocks until
     * {@code release} and ignores interrupts, like a pipe whose writer stays open and quiet.
     */
    private static final class OpenPipe extends InputStream {
        private long available;
        private final CountDownLatch release = new CountDownLatch(1);
        private final CountDownLatch blocked = new CountDownLatch(1);

        OpenPipe(long available) {
            this.available = available;
        }

        synchronized long unread() {
            return available;
        }

        @Override
        public int read() {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0];
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            if (available > 0) {
                int n = (int) Math.min(len, available);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                available -= n;
                return n;
            }
            blocked.countDown();
            boolean released = false;
            while (!released) {
                try {
                    released = release.await(1, TimeUnit.DAYS);
                } catch (InterruptedException ignored) {
                    // a blocked read of stdin is not interrupted either
                }
            }
            return -1;
        }
    }

    private static StdinAudioPump started(OpenPipe pipe) {
        IncrementalPcmReader reader = new IncrementalPcmReader(pipe);
        reader.readHeader();
        StdinAudioPump pump = new StdinAudioPump(reader);
        pump.start();
        return pump;
    }

    @Test
    void stopWhileTheReaderIsBlockedEndsTheInput() {
        OpenPipe pipe = new OpenPipe(64); // 32 samples, then nothing more while the pipe stays open
        try (StdinAudioPump pump = started(pipe)) {
            assertTimeoutPreemptively(DEADLINE, () -> {
                int samples = 0;
                while (samples < 32) samples += pump.next().length;
                pipe.blocked.await();
                Thread stopper = new Thread(() -> {
                    sleep(200);
                    pump.stop();
                });
                stopper.start();
                assertTrue(pump.next() == null, "the input ends although stdin is still open");
                assertTrue(pump.next() == null);
            });
        } finally {
            pipe.release.countDown();
        }
    }

    @Test
    void stopDropsTheBlocksStillQueued() {
        // Far more audio than the queue holds: when decoding is behind, Ctrl-C must not wait for the backlog.
        OpenPipe pipe = new OpenPipe(200L * 32_000);
        try (StdinAudioPump pump = started(pipe)) {
            assertTimeoutPreemptively(DEADLINE, () -> {
                assertNotNull(pump.next());
                while (pipe.unread() > 0 && pump.queuedBlocks() < StdinAudioPump.QUEUE_BLOCKS) Thread.sleep(10);
                assertEquals(StdinAudioPump.QUEUE_BLOCKS, pump.queuedBlocks(), "the reader filled the queue");
                pump.stop();
                assertTrue(pump.next() == null, "no queued block is handed out after stop()");
            });
        } finally {
            pipe.release.countDown();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
