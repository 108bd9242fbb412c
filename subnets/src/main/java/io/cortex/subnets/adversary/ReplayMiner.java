package io.cortex.subnets.adversary;

import io.cortex.subnets.SubnetMechanism;
import java.util.SplittableRandom;

/**
 * A lazy miner that works once and then replays: it answers its first task with a real model and every
 * later task with that same cached answer, at once. It shows what a subnet's scoring does with stale
 * answers: a task that changes each time defeats it.
 */
public final class ReplayMiner implements SubnetMechanism.MinerModel {

    private final SubnetMechanism.MinerModel model;
    private SubnetMechanism.Answer cached;

    /** @param model what produces the one answer it replays */
    public ReplayMiner(SubnetMechanism.MinerModel model) {
        this.model = model;
    }

    @Override
    public SubnetMechanism.Answer answer(byte[] task, SplittableRandom random) {
        if (cached == null) {
            cached = model.answer(task, random);
        }
        return new SubnetMechanism.Answer(cached.payload(), 1);
    }
}
