package io.cortex.subnets.adversary;

import io.cortex.subnets.SubnetMechanism;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A lazy miner that does no work of its own: it relays each task to another miner (in a scenario, the one
 * the metagraph pays most) and returns that answer as its own, late by the relay's round trip. Where a
 * subnet scores latency the relay costs it; where it does not, only the validators' consensus (both uids
 * serve the same answers) and the registration burn limit what it takes.
 */
public final class CopycatMiner implements SubnetMechanism.MinerModel {

    private final Supplier<SubnetMechanism.MinerModel> source;
    private final long relayMillis;

    /**
     * @param source the miner copied, asked at each task (it may change between tasks)
     * @param relayMillis what relaying adds to the copied miner's own time
     */
    public CopycatMiner(Supplier<SubnetMechanism.MinerModel> source, long relayMillis) {
        if (relayMillis < 0) {
            throw new IllegalArgumentException("relay time must not be negative");
        }
        this.source = source;
        this.relayMillis = relayMillis;
    }

    @Override
    public SubnetMechanism.Answer answer(byte[] task, SplittableRandom random) {
        SubnetMechanism.Answer copied = source.get().answer(task, random);
        return new SubnetMechanism.Answer(copied.payload(), copied.delayMillis() + relayMillis);
    }
}
