package io.cortex.subnets.template;

import io.cortex.subnets.SubnetMechanism;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The template subnet: the median of nine numbers. It is deliberately small, and complete: every method a
 * subnet needs, each with what to change when you make it yours (SUBNETS.md). Validators know the true
 * median, miners answer with an error that shrinks with their quality, and the baseline answers with the
 * mean, which a good miner beats.
 */
public final class TemplateSubnet implements SubnetMechanism {
    static final int NUMBERS = 9;

    /** CHANGE: the name subnets are configured by ({@code --mechanism NAME}); unique among the subnets. */
    @Override
    public String name() {
        return "template";
    }

    /** CHANGE: one line for {@code cortex subnet list}. */
    @Override
    public String description() {
        return "template: the median of nine numbers, against the mean as baseline";
    }

    /**
     * CHANGE: what a validator asks. The payload goes to miners; {@code expected} stays with the validator to
     * score answers. Draw every random choice from {@code random}: runs are then reproducible by seed.
     */
    @Override
    public Task nextTask(SplittableRandom random) {
        ByteBuffer payload = ByteBuffer.allocate(NUMBERS * 4);
        int[] numbers = new int[NUMBERS];
        for (int i = 0; i < NUMBERS; i++) {
            numbers[i] = random.nextInt(1000);
            payload.putInt(numbers[i]);
        }
        return new Task(payload.array(), ByteBuffer.allocate(4).putInt(median(numbers)).array());
    }

    /**
     * CHANGE: an honest miner of a quality from 0 to 1 (the testnet grades its miners from 0.1 to 1). Here
     * the answer is off by up to 200 × (1 − quality); simulated work takes 5 ms.
     */
    @Override
    public MinerModel miner(double quality) {
        double q = Math.max(0, Math.min(1, quality));
        int maxError = (int) Math.round(200 * (1 - q));
        return (task, random) -> {
            int answer = median(numbers(task)) + (maxError == 0 ? 0 : random.nextInt(-maxError, maxError + 1));
            return new Answer(ByteBuffer.allocate(4).putInt(answer).array(), 5);
        };
    }

    /** CHANGE: the simple open approach every miner should beat; here the mean, which outliers pull away. */
    @Override
    public MinerModel baseline() {
        return (task, random) -> new Answer(ByteBuffer.allocate(4).putInt((int) Math.round(
                Arrays.stream(numbers(task)).average().orElse(0))).array(), 5);
    }

    /**
     * CHANGE: an answer's score in [0, 1]; {@code answer} is null when the miner did not answer in time, and
     * may be any bytes at all (a malformed answer scores 0, it must not throw). Here: 1 for the exact median,
     * falling with the error.
     */
    @Override
    public double score(Task task, byte[] answer, long latencyMillis) {
        if (answer == null || answer.length != 4) {
            return 0;
        }
        long error = Math.abs((long) ByteBuffer.wrap(answer).getInt() - ByteBuffer.wrap(task.expected()).getInt());
        return 1.0 / (1 + error / 10.0);
    }

    /** OPTIONAL: an end user's query ({@code cortex query --netuid N TEXT}): here nine numbers. */
    @Override
    public Task parseQuery(String text) {
        String[] parts = text.trim().split("[\\s,]+");
        if (parts.length != NUMBERS) {
            throw new IllegalArgumentException("a template query is nine whole numbers, such as \"5 1 9 3 7 2 8 4 6\"");
        }
        ByteBuffer payload = ByteBuffer.allocate(NUMBERS * 4);
        int[] numbers = new int[NUMBERS];
        try {
            for (int i = 0; i < NUMBERS; i++) {
                numbers[i] = Integer.parseInt(parts[i]);
                payload.putInt(numbers[i]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a template query is nine whole numbers, such as \"5 1 9 3 7 2 8 4 6\"", e);
        }
        return new Task(payload.array(), ByteBuffer.allocate(4).putInt(median(numbers)).array());
    }

    /** OPTIONAL: a query an end user might send ({@code cortex loadtest} sends these). */
    @Override
    public String sampleQuery(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < NUMBERS; i++) {
            s.append(i == 0 ? "" : " ").append(random.nextInt(1000));
        }
        return s.toString();
    }

    /** OPTIONAL: an answer as a user reads it. */
    @Override
    public String formatAnswer(byte[] answer) {
        return answer.length == 4 ? Integer.toString(ByteBuffer.wrap(answer).getInt()) : SubnetMechanism.super.formatAnswer(answer);
    }

    static int[] numbers(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        int[] numbers = new int[payload.length / 4];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = b.getInt();
        }
        return numbers;
    }

    static int median(int[] numbers) {
        int[] sorted = numbers.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }
}
