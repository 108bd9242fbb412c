package io.cortex.ledger.fixed;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Rao arithmetic (1 TAO = 10^9 rao): exact products and quotients of amounts, and readable formatting. */
public final class Rao {
    public static final long PER_TAO = 1_000_000_000L;

    private Rao() {
    }

    /** floor(a * b / c) for non-negative a, b and positive c, exact even when a * b overflows. */
    public static long mulDiv(long a, long b, long c) {
        if (c <= 0 || a < 0 || b < 0) {
            throw new ArithmeticException("mulDiv(" + a + ", " + b + ", " + c + ")");
        }
        if (Math.multiplyHigh(a, b) == 0 && a * b >= 0) {
            return a * b / c;
        }
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c)).longValueExact();
    }

    /** ceil(a * b / c), as {@link #mulDiv}. */
    public static long mulDivUp(long a, long b, long c) {
        long q = mulDiv(a, b, c);
        boolean exact = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b))
                .equals(BigInteger.valueOf(q).multiply(BigInteger.valueOf(c)));
        return exact ? q : q + 1;
    }

    public static long tao(long whole) {
        return Math.multiplyExact(whole, PER_TAO);
    }

    /** "12.345000000" style: every rao shown, so sums add up on screen. */
    public static String format(long rao) {
        return new BigDecimal(BigInteger.valueOf(rao), 9).toPlainString();
    }

    /** Parses "1.5" (TAO) into rao, at most 9 decimals. */
    public static long parse(String tao) {
        BigDecimal v = new BigDecimal(tao.trim());
        if (v.scale() > 9) {
            throw new IllegalArgumentException("at most 9 decimals (1 rao): " + tao);
        }
        return v.movePointRight(9).longValueExact();
    }
}
