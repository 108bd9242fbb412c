package io.cortex.subnets;

/**
 * A validator's moving average of the subnet's baseline model, scored on a sample of each round's tasks. The
 * round's mean is one more point of the average, which starts at 0 and moves by the validator's score alpha
 * a round, as a miner's does: early margins over it are then not skewed. Not thread-safe.
 */
public final class BaselineScore {
    /** Tasks per round on which a validator also runs the baseline. */
    public static final int TASKS_PER_ROUND = 8;

    private final double alpha;
    private double value;
    private double roundSum;
    private int roundCount;

    public BaselineScore(double alpha) {
        this.alpha = alpha;
    }

    /** One of this round's baseline scores. */
    public void add(double score) {
        roundSum += score;
        roundCount++;
    }

    /** Ends the round: its mean moves the average (a round without scores leaves it). */
    public void endRound() {
        if (roundCount > 0) {
            value = (1 - alpha) * value + alpha * roundSum / roundCount;
            roundSum = 0;
            roundCount = 0;
        }
    }

    public double value() {
        return value;
    }
}
