package io.github.qwenasr.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.qwenasr.QwenAsrException;
import org.junit.jupiter.api.Test;

/** The bounded buffer between the capture thread and its consumer. */
class CaptureBufferTest {
    private static float[] block(int n, float v) {
        float[] b = new float[n];
        java.util.Arrays.fill(b, v);
        return b;
    }

    @Test
    void theOldestBlocksAreDroppedAndTheGapIsReportedBeforeTheNextBlockTaken() throws InterruptedException {
        CaptureBuffer buffer = new CaptureBuffer(1000);
        for (int k = 0; k < 5; k++) buffer.offer(block(300, k)); // 1500 samples offered into 1000
        // Blocks 0 and 1 went (600 samples); 2, 3 and 4 are held (900).
        assertEquals(900, buffer.heldSamples());
        assertEquals(600, buffer.droppedSamples());
        CapturedAudio b = buffer.poll(0);
        assertEquals(2f, b.samples()[0]);
        assertEquals(600, b.droppedBefore());
        assertEquals(600, b.startSample());
        CapturedAudio next = buffer.poll(0);
        assertEquals(0, next.droppedBefore());
        assertEquals(900, next.startSample());
        buffer.poll(0);
        assertNull(buffer.poll(0), "nothing held, nothing waited for");
        // A block larger than the whole buffer keeps its newest part.
        buffer.offer(block(1200, 9));
        CapturedAudio big = buffer.poll(0);
        assertEquals(1000, big.length());
        assertEquals(200, big.droppedBefore());
        assertEquals(1500 + 200, big.startSample());
        buffer.end();
        assertSame(CaptureBuffer.END, buffer.poll(0));
    }

    @Test
    void aFailureComesAfterTheHeldBlocks() throws InterruptedException {
        CaptureBuffer buffer = new CaptureBuffer(1000);
        buffer.offer(block(10, 1));
        buffer.fail(new QwenAsrException("device gone"));
        assertEquals(10, buffer.poll(0).length());
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> buffer.poll(0));
        assertEquals("device gone", e.getMessage());
    }
}
