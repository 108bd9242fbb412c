package io.cortex.subnets.adversary;

import io.cortex.subnets.SubnetMechanism;

/**
 * A lazy miner that does no work of its own: it relays another miner's answer (in a scenario, that of the
 * miner the metagraph pays most) to the same round's task as its own, late by the relay's round trip. It
 * cannot have that miner work its own task instead, since miners answer only validators. Validators give
 * every miner of a round the same task and score an answer that copies an earlier one as 0; on a subnet
 * with one right answer the task is salted per miner, so the copied answer is wrong for the relay
 * ({@link io.cortex.subnets.validator.ValidatorCycle}).
 */
public final class CopycatMiner {

    private final long relayMillis;

    /** @param relayMillis what relaying adds to the copied miner's own time */
    public CopycatMiner(long relayMillis) {
        if (relayMillis < 0) {
            throw new IllegalArgumentException("relay time must not be negative");
        }
        this.relayMillis = relayMillis;
    }

    /** The relay's answer: the copied miner's, later. */
    public SubnetMechanism.Answer relay(SubnetMechanism.Answer copied) {
        return new SubnetMechanism.Answer(copied.payload(), copied.delayMillis() + relayMillis);
    }
}
