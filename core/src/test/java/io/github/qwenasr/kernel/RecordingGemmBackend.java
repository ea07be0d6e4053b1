package io.github.qwenasr.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test {@link GemmBackend}, registered for core's tests through META-INF/services: computes in
 * double (so its results are the exact products) and records each call's shape, so tests can see
 * which products a BF16 model hands over. Unavailable unless a test switches it on.
 */
public final class RecordingGemmBackend implements GemmBackend {
    /** Null: usable; otherwise the reason it reports. Tests set it and restore it. */
    public static volatile String unavailable = "recording backend switched off";
    /** "m x k x n" of every call since the last {@link #reset()}. */
    public static final List<String> CALLS = new CopyOnWriteArrayList<>();

    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static void reset() {
        CALLS.clear();
    }

    @Override
    public String name() {
        return "recording test backend";
    }

    @Override
    public String unavailableReason() {
        return unavailable;
    }

    @Override
    public void linear(Parallel par, float[] x, int m, int k, MemorySegment w, int n, float[] bias, float[] y) {
        CALLS.add(m + "x" + k + "x" + n);
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                double s = bias != null ? bias[j] : 0;
                for (int i = 0; i < k; i++) {
                    s += (double) x[r * k + i] * Float.intBitsToFloat((w.getAtIndex(SHORT_LE, (long) j * k + i) & 0xFFFF) << 16);
                }
                y[r * n + j] = (float) s;
            }
        }
    }
}
