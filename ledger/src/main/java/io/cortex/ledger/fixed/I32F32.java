package io.cortex.ledger.fixed;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Signed 64-bit fixed point with 32 fraction bits, with the semantics of substrate-fixed's {@code I32F32}
 * as subtensor uses it (yuma.md section 1). Values are carried as their raw bits in a {@code long}, so
 * hot loops allocate nothing; every method here is static.
 *
 * <ul>
 *   <li>{@link #mul}: exact 128-bit product shifted right by 32 (floor), saturating.</li>
 *   <li>{@link #div}: subtensor's {@code safe_div}: exact quotient truncated toward zero; 0 on division by
 *       zero and on overflow.</li>
 *   <li>{@link #add}, {@link #sub}: saturating.</li>
 *   <li>{@link #exp}: substrate-fixed's Taylor series, bit for bit.</li>
 * </ul>
 */
public final class I32F32 {
    public static final int FRAC_BITS = 32;
    public static final long ZERO = 0L;
    public static final long ONE = 1L << FRAC_BITS;
    public static final long HALF = 1L << (FRAC_BITS - 1);
    public static final long MAX = Long.MAX_VALUE;
    public static final long MIN = Long.MIN_VALUE;
    /** 65535 as a fixed-point value: the scale of every u16 proportion. */
    public static final long U16_MAX = 65535L << FRAC_BITS;
    /** e as substrate-fixed's I9F23 constant (0x15BF0A8 / 2^23), widened losslessly to I32F32. */
    public static final long E = 0x15BF0A8L << (FRAC_BITS - 23);

    private static final long MIN_EXP_INPUT = -20L << FRAC_BITS;
    private static final long MAX_EXP_INPUT = 20L << FRAC_BITS;

    private I32F32() {
    }

    /** The fixed-point value of an integer, saturating. */
    public static long fromInt(long value) {
        if (value > Integer.MAX_VALUE) {
            return MAX;
        }
        if (value < Integer.MIN_VALUE) {
            return MIN;
        }
        return value << FRAC_BITS;
    }

    /** {@code u16_proportion_to_fixed}: {@code u / 65535} as a fixed division (floor). */
    public static long fromU16Proportion(int u16) {
        return (((long) u16) << FRAC_BITS) / 65535L;
    }

    /** {@code fixed_proportion_to_u16}: {@code floor(x * 65535)}, saturating to [0, 65535]. */
    public static int toU16Proportion(long x) {
        if (x >= 0 && x < (1L << 47)) {
            // the product x * 65535 fits in 63 bits here, and its integer part is floor(x * 65535)
            return (int) Math.min(65535, (x * 65535) >>> FRAC_BITS);
        }
        return toU16(mul(x, U16_MAX));
    }

    /** {@code saturating_to_num::<u16>}: the integer part (floor), clamped to [0, 65535]. */
    public static int toU16(long x) {
        long integer = x >> FRAC_BITS;
        if (integer <= 0) {
            return 0;
        }
        return integer >= 65535 ? 65535 : (int) integer;
    }

    /** {@code saturating_to_num::<u64>} for non-negative results: the integer part, 0 below zero. */
    public static long toU64(long x) {
        return x <= 0 ? 0 : x >>> FRAC_BITS;
    }

    public static long add(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? MIN : MAX;
        }
        return r;
    }

    public static long sub(long a, long b) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            return a < 0 ? MIN : MAX;
        }
        return r;
    }

    public static long neg(long a) {
        return a == MIN ? MAX : -a;
    }

    /** Saturating multiplication: the exact product, floor-shifted by 32 bits. */
    public static long mul(long a, long b) {
        if (((a | b) >>> FRAC_BITS) == 0) {
            // both in [0, 1): the product is below 2^64, exact as an unsigned long
            return (a * b) >>> FRAC_BITS;
        }
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        long top = hi >> (FRAC_BITS - 1);
        if (top != 0 && top != -1) {
            return (a ^ b) < 0 ? MIN : MAX;
        }
        return (hi << FRAC_BITS) | (lo >>> FRAC_BITS);
    }

    /** {@code checked_mul(..).unwrap_or_default()}: the product, or 0 when it overflows. */
    public static long mulOrZero(long a, long b) {
        return mulFits(a, b) ? mul(a, b) : 0;
    }

    /** Multiplication that reports overflow: {@code checked_mul}. Returns {@code false} on overflow. */
    static boolean mulFits(long a, long b) {
        long top = Math.multiplyHigh(a, b) >> (FRAC_BITS - 1);
        return top == 0 || top == -1;
    }

    /** subtensor's {@code safe_div}: truncated quotient; 0 when dividing by zero or on overflow. */
    public static long div(long a, long b) {
        if (b == 0) {
            return 0;
        }
        if (fitsShifted(a)) {
            return (a << FRAC_BITS) / b;
        }
        // Dropping common trailing zero bits leaves the quotient unchanged; integer-valued operands
        // (raw u16 weights, counts) then fit the fast path.
        int shift = Math.min(Long.numberOfTrailingZeros(a), Long.numberOfTrailingZeros(b));
        if (shift > 0 && b >> shift != 0) {
            long a2 = a >> shift;
            long b2 = b >> shift;
            if (fitsShifted(a2)) {
                return (a2 << FRAC_BITS) / b2;
            }
        }
        return wideDiv(a, b, 0);
    }

    /** {@code saturating_div}: truncated quotient, saturating on overflow (the divisor must be non-zero). */
    public static long saturatingDiv(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException("fixed-point division by zero");
        }
        if (fitsShifted(a)) {
            return (a << FRAC_BITS) / b;
        }
        return wideDiv(a, b, (a ^ b) < 0 ? MIN : MAX);
    }

    private static boolean fitsShifted(long a) {
        return a >= -(1L << 31) && a < (1L << 31);
    }

    private static long wideDiv(long a, long b, long onOverflow) {
        BigInteger q = BigInteger.valueOf(a).shiftLeft(FRAC_BITS).divide(BigInteger.valueOf(b));
        return q.bitLength() < 64 ? q.longValue() : onOverflow;
    }

    /** substrate-fixed {@code transcendental::exp}; {@code null} stands for its {@code Err}. */
    static Long expOrError(long x) {
        if (x == 0) {
            return ONE;
        }
        if (x == ONE) {
            return E;
        }
        boolean negative = x < 0;
        long operand = negative ? -x : x;
        long result = operand + ONE;
        long term = operand;
        for (int i = 2; i < FRAC_BITS; i++) {
            if (!mulFits(term, operand)) {
                return null;
            }
            term = mul(term, operand);
            // dividing by the fixed value i: the raw quotient is term / i, truncated toward zero
            term = term / i;
            long sum = result + term;
            if (((result ^ sum) & (term ^ sum)) < 0) {
                return null;
            }
            result = sum;
        }
        if (negative) {
            return reciprocal(result);
        }
        return result;
    }

    /** {@code 1 / r} for r &ge; 1: the raw quotient floor(2^64 / r), which fits because r &ge; 2^32. */
    private static long reciprocal(long r) {
        long q = Long.divideUnsigned(-1L, r);
        long rem = Long.remainderUnsigned(-1L, r);
        return rem + 1 == r ? q + 1 : q;
    }

    /** subtensor's {@code exp_safe}: input clamped to [-20, 20]; on error 0 (input &le; 0) or MAX. */
    public static long expSafe(long x) {
        long safe = Math.max(MIN_EXP_INPUT, Math.min(MAX_EXP_INPUT, x));
        Long r = expOrError(safe);
        if (r == null) {
            return safe <= 0 ? 0 : MAX;
        }
        return r;
    }

    /** subtensor's {@code sigmoid_safe}: {@code 1 / (1 + exp_safe(-rho (input - kappa)))}. */
    public static long sigmoidSafe(long input, long rho, long kappa) {
        long offset = sub(input, kappa);
        long negRho = mul(rho, neg(ONE));
        long expOutput = expSafe(mul(negRho, offset));
        return div(ONE, add(expOutput, ONE));
    }

    /** {@code round()}: to the nearest integer, ties away from zero (saturating at the extremes). */
    public static long round(long x) {
        long magnitude = x == MIN ? MAX : Math.abs(x);
        long rounded = magnitude > MAX - HALF ? MAX & -ONE : (magnitude + HALF) & -ONE;
        return x < 0 ? -rounded : rounded;
    }

    /** The nearest fixed value of a double (ties to even), as {@code from_num} of a float does. */
    public static long fromDouble(double value) {
        return new BigDecimal(value).multiply(BigDecimal.valueOf(ONE))
                .setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    }

    /** The exact decimal value, for logs, {@code explain} and test messages. */
    public static String toString(long x) {
        return new BigDecimal(BigInteger.valueOf(x)).divide(BigDecimal.valueOf(ONE)).stripTrailingZeros()
                .toPlainString();
    }

    public static double toDouble(long x) {
        return x / (double) ONE;
    }
}
