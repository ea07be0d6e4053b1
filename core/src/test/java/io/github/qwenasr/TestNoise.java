package io.github.qwenasr;

import java.util.Random;

/** Gaussian noise the random-weight tiny model never ends by itself within dozens of tokens. */
public final class TestNoise {
    private TestNoise() {
    }

    /** Three seconds at 16 kHz, standard deviation 0.1, from seed 5. */
    public static float[] threeSeconds() {
        float[] x = new float[3 * 16000];
        Random r = new Random(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 0.1);
        return x;
    }
}
