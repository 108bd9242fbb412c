package org.example.miner;

import io.cortex.subnets.SubnetMechanism;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This miner's model for the {@code compute} subnet. A task is big-endian longs: a modulus, then the numbers;
 * the answer is one big-endian long, the sum of the numbers' squares modulo the modulus. Validators know the
 * answer: a wrong one scores nothing, a right one scores more the sooner it comes, so this model computes it
 * exactly and at once.
 */
public final class SumOfSquaresMiner implements SubnetMechanism.MinerModel {
    private final AtomicLong answered = new AtomicLong();

    @Override
    public SubnetMechanism.Answer answer(byte[] task, SplittableRandom random) {
        ByteBuffer numbers = ByteBuffer.wrap(task);
        if (numbers.remaining() < Long.BYTES || numbers.remaining() % Long.BYTES != 0) {
            throw new IllegalArgumentException("a compute task is whole longs, got " + task.length + " bytes");
        }
        long modulus = numbers.getLong();
        if (modulus < 2 || modulus > 3_037_000_499L) { // above that, a residue's square overflows a long
            throw new IllegalArgumentException("modulus out of range: " + modulus);
        }
        long sum = 0;
        while (numbers.hasRemaining()) {
            long residue = Math.floorMod(numbers.getLong(), modulus);
            sum = Math.floorMod(sum + Math.floorMod(residue * residue, modulus), modulus);
        }
        answered.incrementAndGet();
        return new SubnetMechanism.Answer(ByteBuffer.allocate(Long.BYTES).putLong(sum).array(), 0);
    }

    /** How many tasks it has answered. */
    public long answered() {
        return answered.get();
    }
}
