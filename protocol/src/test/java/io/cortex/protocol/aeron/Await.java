package io.cortex.protocol.aeron;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How the protocol tests wait: for a condition, with a deadline, never for a fixed time. Transports answer in
 * microseconds, so the condition is polled every millisecond, asleep in between (a spinning wait would take a core
 * from the driver it waits for).
 */
final class Await {

    private Await() {
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout}, saying {@code what} was awaited. */
    static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, () -> what, condition);
    }

    /** As {@link #until(Duration, String, BooleanSupplier)}, with {@code what} told at the deadline (what was seen then). */
    static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                String after = timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
                throw new AssertionError("timed out after " + after + " waiting for " + what.get());
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get(), e);
            }
        }
    }
}
