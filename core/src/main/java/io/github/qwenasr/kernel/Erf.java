package io.github.qwenasr.kernel;

/**
 * The error function in double precision (docs/model.md 8.4: Java has no Math.erf, and the exact-erf
 * GELU must not be replaced by an approximation). Small |x|: the Maclaurin series, summed until
 * the terms vanish. Large |x|: erfc by its continued fraction (modified Lentz), which converges
 * fast exactly where the series loses precision. Both are accurate to about 1e-15.
 */
public final class Erf {
    private Erf() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double SWITCH = 2.5;

    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax < SWITCH) return series(x);
        if (ax > 6.0) return Math.copySign(1.0, x);
        double c = erfcContinuedFraction(ax);
        return x > 0 ? 1.0 - c : c - 1.0;
    }

    /** erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)). */
    private static double series(double x) {
        double x2 = x * x;
        double term = x; // (-1)^n x^(2n+1) / n!
        double sum = x;
        for (int n = 1; n < 100; n++) {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /**
     * erfc(x) for x >= SWITCH: exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))).
     */
    private static double erfcContinuedFraction(double x) {
        // Lentz evaluation of b0 + a1/(b1 + a2/(b2 + ...)) with b_i = x, a_i = i/2.
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int i = 1; i < 300; i++) {
            double a = i * 0.5;
            d = x + a * d;
            if (d == 0) d = tiny;
            c = x + a / c;
            if (c == 0) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / (1.7724538509055159 * f);
    }
}
