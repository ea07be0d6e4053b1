package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.audio.IncrementalPcmReader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Live stdin for {@code --stdin --stream} (docs/modes.md 2.4, 6.11): a reader thread takes sample blocks
 * from an {@link IncrementalPcmReader} as they arrive and queues them for the decoding thread. The
 * reading starts before the model is loaded, so a live source (a microphone pipe) is drained from the
 * start instead of overrunning while the weights load.
 *
 * <p>The queue is bounded: when decoding falls behind, the reader stops reading and the pipe pushes
 * back on the producer, so memory does not grow with the length of the stream.
 *
 * <p>{@link #stop()} (Ctrl-C) ends the input at once, whatever the producer does: a read of stdin
 * cannot be interrupted, so the decoding thread simply stops taking blocks (the reader, a daemon,
 * may stay blocked until the process ends), and blocks still queued are dropped: with a producer
 * faster than decoding the queue can hold a minute of audio, which would delay the end by as much.
 */
final class StdinAudioPump implements AutoCloseable {
    /** Blocks held at most; a block is at most one read's worth (about a second of audio or less). */
    static final int QUEUE_BLOCKS = 64;
    private static final Object END = new Object();

    private final IncrementalPcmReader reader;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_BLOCKS);
    private final Thread thread;
    private boolean ended;
    private volatile boolean stopRequested;

    /** @param reader a reader whose header has been read (the format is known) */
    StdinAudioPump(IncrementalPcmReader reader) {
        this.reader = reader;
        this.thread = Thread.ofPlatform().daemon().name("qwen-asr-stdin").unstarted(this::pump);
    }

    void start() {
        thread.start();
    }

    /** Blocks read and not yet handed out (for tests). */
    int queuedBlocks() {
        return queue.size();
    }

    /** Sample rate of the blocks. */
    int sampleRate() {
        return reader.sampleRate();
    }

    /**
     * The next block of mono samples, waiting for it; null at the end of the input.
     *
     * @throws QwenAsrException when reading stdin failed
     */
    float[] next() {
        if (ended) return null;
        Object item = null;
        try {
            // Polling rather than waiting forever, so that stop() is seen while stdin is quiet.
            while (item == null && !stopRequested) item = queue.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QwenAsrException("interrupted while waiting for audio on stdin");
        }
        if (stopRequested || item == END) {
            ended = true;
            return null;
        }
        if (item instanceof RuntimeException e) {
            ended = true;
            throw e;
        }
        return (float[]) item;
    }

    /**
     * Ends the input early (Ctrl-C): from now on {@link #next()} reports the end, without waiting for
     * stdin and without the blocks still queued. Safe to call from any thread.
     */
    void stop() {
        stopRequested = true;
        thread.interrupt();
    }

    /** Stops the reader thread (it may stay blocked in a read of stdin; it is a daemon and ends with the process). */
    @Override
    public void close() {
        thread.interrupt();
    }

    private void pump() {
        try {
            float[] block;
            while ((block = reader.read()) != null) queue.put(block);
            queue.put(END);
        } catch (InterruptedException e) {
            // close(): the consumer has stopped
        } catch (RuntimeException e) {
            // After stop() the failure is the interrupted read itself (stop() sets the flag first).
            if (!stopRequested) putQuietly(e);
        } catch (Error e) {
            putQuietly(new QwenAsrException("reading stdin failed: " + e));
        }
    }

    private void putQuietly(RuntimeException e) {
        try {
            queue.put(e);
        } catch (InterruptedException ignored) {
            // the consumer has stopped and will not look
        }
    }
}
