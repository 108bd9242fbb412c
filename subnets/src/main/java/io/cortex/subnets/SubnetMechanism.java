package io.cortex.subnets;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What makes a subnet a competition: the tasks validators send, the models miners answer with, how an
 * answer is scored, and the simple open baseline every miner should beat. Implementations are found with
 * {@link java.util.ServiceLoader} by {@link #name()} ({@link SubnetMechanisms}): a jar on the class path with
 * a {@code META-INF/services/io.cortex.subnets.SubnetMechanism} entry adds one.
 *
 * <p>Everything crossing the network is bytes, so the transport needs to know nothing of a subnet. All
 * randomness comes from the {@link SplittableRandom} passed in, so runs are reproducible.
 */
public interface SubnetMechanism {

    /** A task: what goes to the miner, and what the validator keeps to score the answer. */
    record Task(byte[] payload, byte[] expected) {
    }

    /** A miner's answer and how long the miner took to produce it (simulated work). */
    record Answer(byte[] payload, long delayMillis) {
    }

    /** A miner: answers tasks. Implementations hold their own quality settings. */
    interface MinerModel {
        Answer answer(byte[] task, SplittableRandom random);
    }

    /** The name subnets are configured by, such as {@code compute}. */
    String name();

    /** One line a user reads in {@code cortex subnet list}. */
    String description();

    /** A new task for one query. */
    Task nextTask(SplittableRandom random);

    /**
     * The task of a round as one miner gets it. Every miner a validator queries in a round answers the same
     * task, so that an answer relayed from another miner shows as a copy; a subnet whose honest answers would
     * all be equal (one right answer, as on compute) salts the task per miner here, so that right answers
     * differ and a relayed one is wrong. The default gives the task unchanged.
     *
     * @param salt 8 random bytes the validator draws for this miner and round
     */
    default Task personalize(Task task, byte[] salt) {
        return task;
    }

    /**
     * Validator rounds between a task and the moment its truth is known: 0 (the default) scores answers as
     * they come; a forecasting subnet, whose truth is the future, says how many rounds its validators hold
     * the answers before {@link #score} may see {@link Task#expected()}.
     */
    default int truthDelayRounds() {
        return 0;
    }

    /**
     * A miner of the given quality: 1.0 is the best this subnet's honest miners get, 0.0 no better than
     * noise. Subnets map quality onto their own knobs (error rate, latency, model order...).
     */
    MinerModel miner(double quality);

    /** The simple open model every miner should beat. */
    MinerModel baseline();

    /**
     * The score of an answer in [0, 1]; {@code answer} is null when the miner did not answer in time.
     *
     * @param latencyMillis how long the answer took, round trip
     */
    double score(Task task, byte[] answer, long latencyMillis);

    /**
     * An end user's query in this subnet's text form, as a task (the API's {@code Network.Query}); the
     * task's {@code expected} is null when the subnet cannot know the answer.
     *
     * @throws IllegalArgumentException naming the expected form, for text that is not a query
     */
    default Task parseQuery(String text) {
        throw new IllegalArgumentException("subnet mechanism " + name() + " takes no text queries");
    }

    /**
     * A query an end user might send, in the text form {@link #parseQuery} reads, drawn from {@code random};
     * {@code cortex loadtest} sends these. Null (the default) for a subnet that takes no text queries.
     */
    default String sampleQuery(SplittableRandom random) {
        return null;
    }

    /** An answer in this subnet's text form. */
    default String formatAnswer(byte[] answer) {
        return HexFormat.of().formatHex(answer);
    }

    /** What several miners' answers to one query come to: by default the most common (ties: the earliest). */
    default byte[] aggregate(List<byte[]> answers) {
        byte[] best = null;
        int bestCount = 0;
        for (byte[] a : answers) {
            int count = 0;
            for (byte[] b : answers) {
                count += Arrays.equals(a, b) ? 1 : 0;
            }
            if (count > bestCount) {
                best = a;
                bestCount = count;
            }
        }
        return best;
    }

    /**
     * Whether one miner's answer agrees with what the answers came to ({@code cortex query}'s "agrees"): by
     * default, the same bytes. A subnet whose aggregate is a mean or a median, which no single answer need equal,
     * says what agreeing is.
     */
    default boolean agrees(byte[] answer, byte[] aggregate) {
        return answer != null && aggregate != null && Arrays.equals(answer, aggregate);
    }

    /** How {@link #aggregate} combines answers, in a few words. */
    default String aggregationRule() {
        return "the most common answer";
    }
}
