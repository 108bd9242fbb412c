package io.cortex.subnets.validator;

import io.cortex.subnets.BaselineScore;
import io.cortex.subnets.SubnetMechanism;
import io.cortex.subnets.Weighting;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A validator's cycle, without a network or a ledger: the one copy that hosted validators, outside validators
 * and the simulator all run (ARCHITECTURE.md section 3). Per round: one task drawn for the round, given to
 * every miner queried (personalised per miner where the subnet's honest answers would otherwise coincide,
 * {@link SubnetMechanism#personalize}), and to the subnet's baseline model; answers are held until the round
 * settles (every answer in, or timed out) and, for a subnet whose truth comes later, until the truth is
 * known; then each is scored and folded into a moving average per miner. The round's task comes from a seed
 * the subnet's validators share when the caller passes one ({@link #beginRound(long)}; the live validators and
 * the simulator do), so that honest validators differ by what the miners did, not by the luck of their draws. Once per epoch the scores become
 * quantized weights, set directly or committed and revealed {@code reveal_period} epochs later.
 *
 * <p><b>Copies earn nothing.</b> Every miner answers the same task in a round, so an answer byte for byte the
 * same as one that reached the validator earlier in that round is a copy: it scores 0, and only the first
 * (by latency, then by arrival) keeps its score. A lazy miner that relays another miner's answer is always
 * later than its source; on a subnet with one right answer (compute) each miner's task is salted, so a relayed
 * answer is wrong for the relay. Miners answer only validators (their axons admit callers with a validator
 * permit), so a relay cannot have another miner work its own task either.
 *
 * <p>Not thread-safe: an actor or a simulated validator owns one. {@code K} is how a miner is named (a hotkey).
 */
public final class ValidatorCycle<K> {

    /**
     * How a validator scores and weights.
     *
     * @param scoreAlpha smoothing of the moving average per miner, in (0, 1]
     * @param weighting how scores become weights
     * @param settleRounds rounds an answer may take to arrive (0 when answers come back within the round,
     *                     as in a simulation); a later answer counts as none
     */
    public record Settings(double scoreAlpha, Weighting weighting, int settleRounds) {
        public Settings {
            Objects.requireNonNull(weighting, "weighting");
            if (!(scoreAlpha > 0 && scoreAlpha <= 1)) {
                throw new IllegalArgumentException("score alpha must be in (0, 1], not " + scoreAlpha);
            }
            if (settleRounds < 0) {
                throw new IllegalArgumentException("settle rounds must not be negative");
            }
        }

        /** The live validator's defaults, which the simulator runs too: alpha 0.2, margin over the baseline squared. */
        public static Settings defaults() {
            return new Settings(0.2, Weighting.DEFAULT, 0);
        }

        /** Rounds to wait for the answers of a round sent every {@code intervalMillis} with this deadline. */
        public static int settleRounds(long timeoutMillis, long intervalMillis) {
            return (int) ((timeoutMillis + intervalMillis - 1) / intervalMillis) + 1;
        }
    }

    /** Sees every answer's score as it is folded in: the miner (null for the baseline) and the score. */
    @FunctionalInterface
    public interface ScoreListener<K> {
        void scored(K miner, double score, boolean copy);
    }

    /** Weights as the ledger takes them: uids and u16 values, the largest 65 535. */
    public record Weights(int[] uids, int[] values) {
        /**
         * Proportions in [0, 1] by uid as u16 values; a positive proportion is never rounded to nothing (it
         * becomes 1), so a miner the validator scored above zero keeps a weight. Null when none is positive.
         */
        public static Weights quantize(double[] proportion) {
            if (proportion == null) {
                return null;
            }
            int n = 0;
            for (double p : proportion) {
                n += p > 0 ? 1 : 0;
            }
            if (n == 0) {
                return null;
            }
            int[] uids = new int[n];
            int[] values = new int[n];
            for (int uid = 0, k = 0; uid < proportion.length; uid++) {
                if (proportion[uid] > 0) {
                    uids[k] = uid;
                    values[k++] = (int) Math.max(1, Math.min(65_535, Math.round(proportion[uid] * 65_535)));
                }
            }
            return new Weights(uids, values);
        }
    }

    /** What to submit for an epoch's weights. */
    public sealed interface WeightsAction {
    }

    /** Set these weights now (the subnet runs no commit-reveal). */
    public record SetWeights(Weights weights) implements WeightsAction {
    }

    /** Commit to these weights with this salt: the ledger keeps only the hash until they are revealed. */
    public record CommitWeights(Weights weights, byte[] salt) implements WeightsAction {
    }

    /** Reveal the weights committed {@code reveal_period} epochs ago. */
    public record RevealWeights(Weights weights, byte[] salt) implements WeightsAction {
    }

    /** One miner's answer to a round's task; {@code answer} null when it did not answer in time. */
    private record Answered<K>(K miner, SubnetMechanism.Task task, byte[] answer, long latencyNanos, int arrival) {
    }

    /** A round's answers, scored together once the round has settled and its truth is known. */
    private static final class RoundAnswers<K> {
        final long round;
        final long due;
        SubnetMechanism.Task task;
        final List<Answered<K>> answers = new ArrayList<>();
        SubnetMechanism.Task baselineTask;
        byte[] baselineAnswer;
        long baselineLatencyNanos;

        RoundAnswers(long round, long due) {
            this.round = round;
            this.due = due;
        }
    }

    /** A commit awaiting its reveal. */
    private record Pending(Weights weights, byte[] salt, long epoch) {
    }

    /** At most this many answers wait for their round to settle or their truth (miners × rounds, with room). */
    public static final int MAX_HELD = 65_536;

    private final SubnetMechanism mechanism;
    private final Settings settings;
    private final SplittableRandom random;
    private final ScoreListener<K> listener;
    private final SubnetMechanism.MinerModel baselineModel;
    private final BaselineScore baseline;
    private final Map<K, Double> scores = new HashMap<>();
    private final ArrayDeque<RoundAnswers<K>> open = new ArrayDeque<>();
    private long round;
    private int held;
    private SubnetMechanism.Task roundTask;
    private Pending pending;
    private boolean leaveOneOut;

    public ValidatorCycle(SubnetMechanism mechanism, Settings settings, SplittableRandom random, ScoreListener<K> listener) {
        this.mechanism = Objects.requireNonNull(mechanism, "mechanism");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.listener = listener == null ? (miner, score, copy) -> { } : listener;
        this.baselineModel = settings.weighting().overBaseline() ? mechanism.baseline() : null;
        this.baseline = new BaselineScore(settings.scoreAlpha());
    }

    public ValidatorCycle(SubnetMechanism mechanism, Settings settings, SplittableRandom random) {
        this(mechanism, settings, random, null);
    }

    // ---------------------------------------------------------------------------------------------- rounds

    /**
     * Starts a round: scores the answers of every earlier round that has settled and whose truth is known,
     * draws this round's task, and runs the baseline model on it (as if it had no network to cross: a
     * slightly higher bar).
     */
    public void beginRound() {
        beginRound(random);
    }

    /**
     * Starts a round whose task is drawn from a seed the subnet's validators share
     * ({@link #roundSeed(long, long)} of the metagraph's task seed), so that they measure the miners on the
     * same tasks; otherwise as {@link #beginRound()}. The salts personalising the task stay this validator's own.
     */
    public void beginRound(long taskSeed) {
        beginRound(new SplittableRandom(taskSeed));
    }

    /** The task seed of round {@code roundInEpoch} (from 0) of an epoch whose shared seed is {@code epochSeed}. */
    public static long roundSeed(long epochSeed, long roundInEpoch) {
        return new SplittableRandom(epochSeed ^ (0x9E3779B97F4A7C15L * (roundInEpoch + 1))).nextLong();
    }

    private void beginRound(SplittableRandom taskRandom) {
        round++;
        scoreDue();
        roundTask = mechanism.nextTask(taskRandom);
        RoundAnswers<K> r = new RoundAnswers<>(round, round + Math.max(mechanism.truthDelayRounds(), settings.settleRounds()));
        r.task = roundTask;
        if (baselineModel != null) {
            SubnetMechanism.Answer a = baselineModel.answer(roundTask.payload(), random);
            r.baselineTask = roundTask;
            r.baselineAnswer = a.payload();
            r.baselineLatencyNanos = a.delayMillis() * 1_000_000;
        }
        open.add(r);
    }

    /** This round's task for one miner: the round's task, personalised for it by the subnet. */
    public SubnetMechanism.Task task(K miner) {
        if (roundTask == null) {
            throw new IllegalStateException("no round begun");
        }
        byte[] salt = new byte[8];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) random.nextInt(256);
        }
        return mechanism.personalize(roundTask, salt);
    }

    /**
     * A miner's answer to a task of round {@code ofRound} ({@link #round()} when it was sent), or null when it
     * did not answer in time. An answer that comes after its round was scored counts as none.
     */
    public void answer(long ofRound, K miner, SubnetMechanism.Task task, byte[] answer, long latencyNanos) {
        for (RoundAnswers<K> r : open) {
            if (r.round == ofRound) {
                if (held < MAX_HELD) {
                    r.answers.add(new Answered<>(miner, task, answer, latencyNanos, r.answers.size()));
                    held++;
                }
                return;
            }
        }
        fold(miner, 0, false); // too late: as if it had timed out
    }

    /** Ends the round: scores what is due now (every answer of a round that settles at once), moves the baseline. */
    public void endRound() {
        scoreDue();
        baseline.endRound();
    }

    /**
     * How answers are scored from now on (the subnet's {@code leave_one_out} hyper-parameter): false, each
     * answer on its own ({@link SubnetMechanism#score}); true, each miner by how much the round's combined
     * answer ({@link SubnetMechanism#aggregate} of every answer but copies) scores less without its answer,
     * in the manner of Allora's one-out losses, and the baseline by how much it would add. A round whose
     * miners answered different tasks (salted, as on compute) cannot be combined and is scored answer by
     * answer.
     */
    public void leaveOneOut(boolean on) {
        leaveOneOut = on;
    }

    /** The current round, counted from 1. */
    public long round() {
        return round;
    }

    private void scoreDue() {
        while (!open.isEmpty() && open.peek().due <= round) {
            score(open.poll());
        }
    }

    /** Scores a settled round: by latency, then arrival; an answer identical to an earlier one is a copy. */
    private void score(RoundAnswers<K> r) {
        List<Answered<K>> byTime = new ArrayList<>(r.answers);
        byTime.sort(Comparator.comparingLong((Answered<K> a) -> a.latencyNanos()).thenComparingInt(Answered::arrival));
        Set<ByteBuffer> seen = new HashSet<>();
        boolean[] copy = new boolean[byTime.size()];
        List<byte[]> combined = new ArrayList<>();
        boolean sameTask = true;
        for (int i = 0; i < copy.length; i++) {
            Answered<K> a = byTime.get(i);
            copy[i] = a.answer() != null && !seen.add(ByteBuffer.wrap(a.answer()));
            if (leaveOneOut && a.answer() != null && !copy[i]) {
                combined.add(a.answer());
                sameTask &= Arrays.equals(a.task().payload(), r.task.payload());
            }
        }
        boolean oneOut = leaveOneOut && sameTask && !combined.isEmpty();
        double whole = oneOut ? combinedScore(r.task, combined, -1) : 0;
        if (r.baselineAnswer != null) {
            double s;
            if (oneOut) { // what the baseline model would add to the miners' combined answer
                List<byte[]> with = new ArrayList<>(combined);
                with.add(r.baselineAnswer);
                s = Math.max(0, combinedScore(r.task, with, -1) - whole);
            } else {
                s = mechanism.score(r.baselineTask, r.baselineAnswer, r.baselineLatencyNanos / 1_000_000);
            }
            baseline.add(s);
            listener.scored(null, s, false);
        }
        for (int i = 0, k = 0; i < copy.length; i++) {
            Answered<K> a = byTime.get(i);
            double s;
            if (a.answer() == null || copy[i]) {
                s = 0;
            } else if (oneOut) { // how much the combined answer loses without this one
                s = Math.max(0, whole - combinedScore(r.task, combined, k++));
            } else {
                s = mechanism.score(a.task(), a.answer(), a.latencyNanos() / 1_000_000);
            }
            fold(a.miner(), s, copy[i]);
        }
        held -= r.answers.size();
    }

    /** The score of the subnet's combination of these answers, leaving out the one at {@code without} (-1: none). */
    private double combinedScore(SubnetMechanism.Task task, List<byte[]> answers, int without) {
        List<byte[]> kept = new ArrayList<>(answers);
        if (without >= 0) {
            kept.remove(without);
        }
        byte[] combined = kept.isEmpty() ? null : mechanism.aggregate(kept);
        return combined == null ? 0 : mechanism.score(task, combined, 0);
    }

    private void fold(K miner, double score, boolean copy) {
        double alpha = settings.scoreAlpha();
        scores.merge(miner, alpha * score, (old, add) -> (1 - alpha) * old + add);
        listener.scored(miner, score, copy);
    }

    /** The moving average of a miner's scores, NaN before its first. */
    public double score(K miner) {
        Double s = scores.get(miner);
        return s == null ? Double.NaN : s;
    }

    /** The moving average of the baseline model's scores. */
    public double baselineScore() {
        return baseline.value();
    }

    // ---------------------------------------------------------------------------------------------- weights

    /**
     * This validator's weights over a subnet's neurons, by uid ({@code hotkeyByUid}): each scored miner's
     * value from the weighting, quantized; itself and unscored neurons get none. Null when no miner has a
     * positive value.
     */
    public Weights weights(List<K> hotkeyByUid, K self) {
        double[] score = new double[hotkeyByUid.size()];
        for (int uid = 0; uid < score.length; uid++) {
            K hotkey = hotkeyByUid.get(uid);
            score[uid] = hotkey == null || hotkey.equals(self) ? Double.NaN : score(hotkey);
        }
        return Weights.quantize(settings.weighting().values(score, baseline.value()));
    }

    /**
     * What to submit in epoch {@code epochIndex} for these weights (null: none): without commit-reveal, set
     * them; with it, reveal the commit made {@code revealPeriod} epochs ago when its epoch has come, and
     * commit these once no commit is waiting.
     */
    public List<WeightsAction> epoch(long epochIndex, boolean commitReveal, long revealPeriod, Weights weights) {
        if (!commitReveal) {
            return weights == null ? List.of() : List.of(new SetWeights(weights));
        }
        List<WeightsAction> actions = new ArrayList<>(2);
        if (pending != null && epochIndex == pending.epoch() + revealPeriod) {
            actions.add(new RevealWeights(pending.weights(), pending.salt()));
        }
        if (pending == null || epochIndex >= pending.epoch() + revealPeriod) {
            pending = null;
            if (weights != null) {
                byte[] salt = new byte[16];
                for (int i = 0; i < salt.length; i++) {
                    salt[i] = (byte) random.nextInt(256);
                }
                pending = new Pending(weights, salt, epochIndex);
                actions.add(new CommitWeights(weights, salt));
            }
        }
        return actions;
    }
}
