package io.cortex.subnets.compute;

import io.cortex.subnets.SubnetMechanism;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Verifiable work: a task is a short vector of integers and a modulus; the answer is the sum of their
 * squares modulo it. The validator knows the answer, so scores mean something: a wrong answer scores 0, a
 * right one scores by speed. Miners differ in how often they are wrong and how long they take: quality 1
 * is always right and answers in about 10 ms, quality 0 is wrong a quarter of the time and takes about
 * 300 ms. Speed carries most of the difference because a validator measures it on every answer, while an
 * error rate shows only over many answers.
 */
public final class ComputeSubnet implements SubnetMechanism {
    static final int VECTOR = 16;
    /** Answers slower than this score nothing; faster ones score linearly more. */
    static final long SLOWEST_MILLIS = 400;

    @Override
    public String name() {
        return "compute";
    }

    @Override
    public String description() {
        return "verifiable arithmetic: sum of squares mod p, scored on correctness and latency";
    }

    @Override
    public Task nextTask(SplittableRandom random) {
        ByteBuffer task = ByteBuffer.allocate(8 + VECTOR * 8);
        long modulus = 1_000_000_007L + random.nextInt(1000);
        task.putLong(modulus);
        for (int i = 0; i < VECTOR; i++) {
            task.putLong(random.nextLong(1, modulus));
        }
        return new Task(task.array(), ByteBuffer.allocate(8).putLong(solve(task.array())).array());
    }

    /**
     * The same kind of task with every number shifted by a salt modulo the modulus: as much work, and a right
     * answer of its own for each miner.
     */
    @Override
    public Task personalize(Task task, byte[] salt) {
        ByteBuffer in = ByteBuffer.wrap(task.payload());
        long modulus = in.getLong();
        long shift = Math.floorMod(ByteBuffer.wrap(salt).getLong(), modulus);
        ByteBuffer out = ByteBuffer.allocate(task.payload().length);
        out.putLong(modulus);
        while (in.remaining() >= 8) {
            out.putLong((in.getLong() % modulus + shift) % modulus);
        }
        return new Task(out.array(), ByteBuffer.allocate(8).putLong(solve(out.array())).array());
    }

    /** The exact answer to a task (values below the modulus, so their squares fit in a long). */
    public static long solve(byte[] task) {
        ByteBuffer b = ByteBuffer.wrap(task);
        long modulus = b.getLong();
        long sum = 0;
        while (b.remaining() >= 8) {
            long v = b.getLong() % modulus;
            sum = (sum + v * v % modulus) % modulus;
        }
        return sum;
    }

    @Override
    public MinerModel miner(double quality) {
        double q = Math.max(0, Math.min(1, quality));
        return new Worker(0.25 * (1 - q), (long) (10 + 290 * (1 - q)));
    }

    /** Modulus of a text query that names none. */
    static final long DEFAULT_MODULUS = 1_000_000_007L;

    /**
     * {@code "3 4 5"} or {@code "3 4 5 mod 1000003"}: the sum of the squares of the numbers, modulo the
     * modulus (default 1 000 000 007). At most 64 non-negative numbers, the modulus between 2 and 3·10^9.
     */
    @Override
    public Task parseQuery(String text) {
        String usage = "a compute query is numbers and an optional modulus, such as \"3 4 5 mod 1000003\"";
        String[] parts = text.trim().split("\\s*\\bmod\\b\\s*", -1);
        if (text.isBlank() || parts.length > 2) {
            throw new IllegalArgumentException(usage);
        }
        try {
            long modulus = parts.length == 2 ? Long.parseLong(parts[1].trim()) : DEFAULT_MODULUS;
            String[] numbers = parts[0].trim().split("[\\s,]+");
            if (modulus < 2 || modulus > 3_000_000_000L || numbers.length > 64) {
                throw new IllegalArgumentException(usage + "; at most 64 numbers, modulus 2 to 3000000000");
            }
            ByteBuffer task = ByteBuffer.allocate(8 + numbers.length * 8);
            task.putLong(modulus);
            for (String n : numbers) {
                long v = Long.parseLong(n);
                if (v < 0) {
                    throw new IllegalArgumentException(usage + "; numbers must not be negative");
                }
                task.putLong(v);
            }
            return new Task(task.array(), ByteBuffer.allocate(8).putLong(solve(task.array())).array());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage, e);
        }
    }

    /** Two to sixteen numbers below a million, modulo a prime. */
    @Override
    public String sampleQuery(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        int n = 2 + random.nextInt(15);
        for (int i = 0; i < n; i++) {
            s.append(random.nextInt(1_000_000)).append(' ');
        }
        return s.append("mod 1000003").toString();
    }

    @Override
    public String formatAnswer(byte[] answer) {
        return answer.length == 8 ? Long.toString(ByteBuffer.wrap(answer).getLong()) : SubnetMechanism.super.formatAnswer(answer);
    }

    /** The baseline: always right, but slow. */
    @Override
    public MinerModel baseline() {
        return new Worker(0, 300);
    }

    @Override
    public double score(Task task, byte[] answer, long latencyMillis) {
        if (answer == null || answer.length != 8 || ByteBuffer.wrap(answer).getLong() != ByteBuffer.wrap(task.expected()).getLong()) {
            return 0;
        }
        return Math.max(0, 1 - (double) latencyMillis / SLOWEST_MILLIS);
    }

    /** A miner: wrong with probability {@code errorRate}, about {@code delayMillis} of work per task. */
    record Worker(double errorRate, long delayMillis) implements MinerModel {
        @Override
        public Answer answer(byte[] task, SplittableRandom random) {
            long result = solve(task);
            if (random.nextDouble() < errorRate) {
                result ^= 1L << random.nextInt(20);
            }
            long jitter = delayMillis == 0 ? 0 : random.nextLong(Math.max(1, delayMillis / 10));
            return new Answer(ByteBuffer.allocate(8).putLong(result).array(), delayMillis + jitter);
        }
    }
}
