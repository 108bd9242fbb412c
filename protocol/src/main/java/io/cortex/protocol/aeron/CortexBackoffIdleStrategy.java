package io.cortex.protocol.aeron;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The default idle strategy of a node's driver and poller: 10 spins, 10 yields, then parks from 1 µs up to
 * 100 µs. A public class with a no-argument constructor, so Aeron's own tools (the ping-pong samples in the
 * query benchmark) can be given exactly the same strategy by name through {@code aeron.shared.idle.strategy}
 * and {@code aeron.sample.idleStrategy}.
 */
public final class CortexBackoffIdleStrategy implements IdleStrategy {
    private final BackoffIdleStrategy delegate = new BackoffIdleStrategy(10, 10, 1_000, 100_000);

    @Override
    public void idle(int workCount) {
        delegate.idle(workCount);
    }

    @Override
    public void idle() {
        delegate.idle();
    }

    @Override
    public void reset() {
        delegate.reset();
    }

    @Override
    public String alias() {
        return "cortex-backoff";
    }
}
