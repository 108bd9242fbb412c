package io.cortex.subnets.text;

import io.cortex.subnets.SubnetMechanism;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Next-token prediction on a small public-domain corpus shipped in this jar ({@link Corpus}: the Declaration
 * of Independence and the Gettysburg Address). A task is the {@value #CONTEXT} characters before a position
 * of the held-out text; an answer is a probability for every character of the alphabet; the score is how
 * much better than a uniform guess the answer's log-loss on the true next character is. Miners are
 * character n-gram models trained on the training text: quality 0 is a unigram model, which is also the
 * baseline, and quality 1 a {@value #MAX_ORDER}-gram model. Nothing about latency is scored: this subnet is
 * about the quality of the prediction.
 */
public final class TextPredictSubnet implements SubnetMechanism {
    /** Characters of context a task carries; a model of order k reads the last k − 1 of them. */
    public static final int CONTEXT = 8;
    /** The highest n-gram order among honest miners. */
    public static final int MAX_ORDER = 5;
    /** An answer: a u16 weight per symbol of the alphabet, normalised by the validator. */
    public static final int ANSWER_LENGTH = 2 * Corpus.ALPHABET;
    /** A probability below this counts as this: one miss cannot cost more than 16 bits. */
    static final double FLOOR = 1.0 / 65_536;
    static final double UNIFORM_BITS = Math.log(Corpus.ALPHABET) / Math.log(2);

    @Override
    public String name() {
        return "text-predict";
    }

    @Override
    public String description() {
        return "next-character prediction on a public-domain corpus, scored by log-loss against a unigram baseline";
    }

    @Override
    public Task nextTask(SplittableRandom random) {
        byte[] heldOut = Corpus.get().heldOut();
        int at = CONTEXT + random.nextInt(heldOut.length - CONTEXT);
        byte[] context = new byte[CONTEXT];
        System.arraycopy(heldOut, at - CONTEXT, context, 0, CONTEXT);
        return new Task(context, new byte[] {heldOut[at]});
    }

    /**
     * Quality in [0, 1] is the n-gram order, 1 (unigram) to {@value #MAX_ORDER}; between two orders, the
     * miner mixes the two models' distributions in proportion, so that quality counts smoothly.
     */
    @Override
    public MinerModel miner(double quality) {
        double order = 1 + Math.max(0, Math.min(1, quality)) * (MAX_ORDER - 1);
        int low = (int) Math.floor(order);
        double mix = order - low;
        if (mix < 1e-9 || low == MAX_ORDER) {
            return ngram(low);
        }
        Corpus.NGramModel lower = Corpus.get().model(low);
        Corpus.NGramModel higher = Corpus.get().model(low + 1);
        return (task, random) -> {
            double[] p = lower.distribution(task);
            double[] q = higher.distribution(task);
            for (int i = 0; i < p.length; i++) {
                p[i] = (1 - mix) * p[i] + mix * q[i];
            }
            return new Answer(encode(p), 2 + low);
        };
    }

    /** A miner that is an n-gram model of this order, trained on the training text. */
    public static MinerModel ngram(int order) {
        Corpus.NGramModel model = Corpus.get().model(order);
        return (task, random) -> new Answer(encode(model.distribution(task)), 1 + order);
    }

    /** The unigram model: letter frequencies, blind to the context. */
    @Override
    public MinerModel baseline() {
        return ngram(1);
    }

    /**
     * {@code 1 − loss / log2(alphabet)}, clipped to [0, 1], where the loss is −log2 of the probability the
     * answer gives the true next character: 0 for an answer no better than a uniform guess (or none, or a
     * malformed one), near 1 for a confident right one.
     */
    @Override
    public double score(Task task, byte[] answer, long latencyMillis) {
        double[] p = decode(answer);
        if (p == null || task.expected() == null || task.expected().length != 1) {
            return 0;
        }
        double bits = -Math.log(Math.max(FLOOR, p[task.expected()[0]])) / Math.log(2);
        return Math.max(0, Math.min(1, 1 - bits / UNIFORM_BITS));
    }

    /** Any text: its last {@value #CONTEXT} characters (in the corpus alphabet) are the context to continue. */
    @Override
    public Task parseQuery(String text) {
        byte[] symbols = Corpus.symbols(text.strip());
        if (symbols.length == 0) {
            throw new IllegalArgumentException("a text-predict query is some text to continue, such as \"We hold these tr\"");
        }
        byte[] context = new byte[CONTEXT];
        java.util.Arrays.fill(context, Corpus.SPACE);
        int n = Math.min(CONTEXT, symbols.length);
        System.arraycopy(symbols, symbols.length - n, context, CONTEXT - n, n);
        return new Task(context, null);
    }

    /** A piece of held-out text, cut part-way through. */
    @Override
    public String sampleQuery(SplittableRandom random) {
        byte[] heldOut = Corpus.get().heldOut();
        int length = 16 + random.nextInt(48);
        int from = random.nextInt(heldOut.length - length);
        StringBuilder s = new StringBuilder(length);
        for (int i = from; i < from + length; i++) {
            s.append(Corpus.character(heldOut[i]));
        }
        return s.toString();
    }

    /** The three likeliest next characters with their probabilities, such as {@code 'u' 0.71, 'a' 0.12, 'e' 0.05}. */
    @Override
    public String formatAnswer(byte[] answer) {
        double[] p = decode(answer);
        if (p == null) {
            return SubnetMechanism.super.formatAnswer(answer);
        }
        StringBuilder s = new StringBuilder();
        boolean[] shown = new boolean[p.length];
        for (int k = 0; k < 3; k++) {
            int best = -1;
            for (int i = 0; i < p.length; i++) {
                if (!shown[i] && (best < 0 || p[i] > p[best])) {
                    best = i;
                }
            }
            shown[best] = true;
            s.append(k == 0 ? "" : ", ").append('\'').append(Corpus.character(best)).append("' ")
                    .append(String.format(Locale.ROOT, "%.2f", p[best]));
        }
        return s.toString();
    }

    /** The mean of the miners' distributions (malformed answers left out). */
    @Override
    public byte[] aggregate(List<byte[]> answers) {
        double[] mean = new double[Corpus.ALPHABET];
        int n = 0;
        for (byte[] a : answers) {
            double[] p = decode(a);
            if (p != null) {
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += p[i];
                }
                n++;
            }
        }
        return n == 0 ? null : encode(mean);
    }

    @Override
    public String aggregationRule() {
        return "the mean of the miners' distributions";
    }

    /** A distribution agrees with the mean when its most likely next character is the mean's. */
    @Override
    public boolean agrees(byte[] answer, byte[] aggregate) {
        double[] p = decode(answer);
        double[] mean = decode(aggregate);
        return p != null && mean != null && mostLikely(p) == mostLikely(mean);
    }

    private static int mostLikely(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Weights to u16, scaled so the largest is 65535 and none that was positive rounds to zero. */
    static byte[] encode(double[] p) {
        double max = 0;
        for (double v : p) {
            max = Math.max(max, v);
        }
        ByteBuffer b = ByteBuffer.allocate(ANSWER_LENGTH);
        for (double v : p) {
            int w = max <= 0 ? 1 : (int) Math.round(v / max * 65_535);
            b.putShort((short) (v > 0 ? Math.max(1, w) : 0));
        }
        return b.array();
    }

    /** The normalised distribution of an answer; null for one of the wrong length or all zeros. */
    static double[] decode(byte[] answer) {
        if (answer == null || answer.length != ANSWER_LENGTH) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(answer);
        double[] p = new double[Corpus.ALPHABET];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = b.getShort() & 0xFFFF;
            sum += p[i];
        }
        if (sum == 0) {
            return null;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
