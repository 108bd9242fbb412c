package io.cortex.subnets.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The text-predict subnet's corpus ({@code corpus.txt} beside this class: the Declaration of Independence
 * and the Gettysburg Address, both in the public domain) as symbols of a {@value #ALPHABET}-letter
 * alphabet: {@code a}–{@code z} (case folded), a space for any white space, and one symbol for every other
 * character. Every fifth paragraph is held out: tasks come from it, models are trained on the rest.
 */
public final class Corpus {
    public static final int ALPHABET = 28;
    public static final byte SPACE = 26;
    public static final byte OTHER = 27;
    /** Bits a symbol takes in a packed context. */
    private static final int BITS = 5;

    private static volatile Corpus instance;

    private final byte[] training;
    private final byte[] heldOut;
    /** Counts of the symbol after each context, by context length (0 to MAX_ORDER − 1) and packed context. */
    private final java.util.List<Map<Integer, int[]>> counts = new java.util.ArrayList<>();

    private Corpus(String text) {
        String[] paragraphs = text.split("\\n\\s*\\n");
        StringBuilder train = new StringBuilder();
        StringBuilder held = new StringBuilder();
        for (int i = 0; i < paragraphs.length; i++) {
            (i % 5 == 4 ? held : train).append(paragraphs[i].trim()).append(' ');
        }
        training = symbols(train.toString());
        heldOut = symbols(held.toString());
        for (int length = 0; length < TextPredictSubnet.MAX_ORDER; length++) {
            Map<Integer, int[]> table = new HashMap<>();
            for (int at = length; at < training.length; at++) {
                table.computeIfAbsent(pack(training, at - length, length), k -> new int[ALPHABET])[training[at]]++;
            }
            counts.add(table);
        }
    }

    /** The corpus of this jar, read once. */
    public static Corpus get() {
        Corpus c = instance;
        if (c == null) {
            synchronized (Corpus.class) {
                if (instance == null) {
                    try (InputStream in = Corpus.class.getResourceAsStream("corpus.txt")) {
                        if (in == null) {
                            throw new IllegalStateException("corpus.txt is missing from the class path");
                        }
                        instance = new Corpus(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                c = instance;
            }
        }
        return c;
    }

    /** Text as symbols; runs of white space become one space. */
    public static byte[] symbols(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = Character.toLowerCase(text.charAt(i));
            if (Character.isWhitespace(ch)) {
                if (!space) {
                    out.write(SPACE);
                }
                space = true;
                continue;
            }
            space = false;
            out.write(ch >= 'a' && ch <= 'z' ? ch - 'a' : OTHER);
        }
        return out.toByteArray();
    }

    /** A symbol as a character: its letter, a space, or {@code .} for any other character. */
    public static char character(int symbol) {
        return symbol < 26 ? (char) ('a' + symbol) : symbol == SPACE ? ' ' : '.';
    }

    public byte[] training() {
        return training.clone();
    }

    byte[] heldOut() {
        return heldOut;
    }

    /** An n-gram model of this order (1 to MAX_ORDER) on the training text. */
    NGramModel model(int order) {
        if (order < 1 || order > TextPredictSubnet.MAX_ORDER) {
            throw new IllegalArgumentException("n-gram order " + order + " is not between 1 and " + TextPredictSubnet.MAX_ORDER);
        }
        return new NGramModel(order);
    }

    private static int pack(byte[] s, int from, int length) {
        int key = length;
        for (int i = from; i < from + length; i++) {
            key = key << BITS | s[i];
        }
        return key;
    }

    /**
     * A character n-gram model with Witten–Bell interpolation: each context's counts are mixed with the next
     * shorter context's distribution in proportion to how many different symbols the context was seen
     * followed by, down to a uniform distribution.
     */
    final class NGramModel {
        private final int order;

        NGramModel(int order) {
            this.order = order;
        }

        /** The distribution of the symbol after the last {@code order − 1} symbols of {@code context}. */
        double[] distribution(byte[] context) {
            double[] p = new double[ALPHABET];
            java.util.Arrays.fill(p, 1.0 / ALPHABET);
            for (int length = 0; length < order && length <= context.length; length++) {
                int[] c = counts.get(length).get(pack(valid(context), context.length - length, length));
                if (c == null) {
                    break; // an unseen context: longer ones are unseen too
                }
                int total = 0;
                int types = 0;
                for (int v : c) {
                    total += v;
                    types += v > 0 ? 1 : 0;
                }
                for (int i = 0; i < ALPHABET; i++) {
                    p[i] = (c[i] + types * p[i]) / (total + types);
                }
            }
            return p;
        }

        private byte[] valid(byte[] context) {
            for (byte b : context) {
                if (b < 0 || b >= ALPHABET) {
                    byte[] clean = context.clone();
                    for (int i = 0; i < clean.length; i++) {
                        clean[i] = clean[i] < 0 || clean[i] >= ALPHABET ? OTHER : clean[i];
                    }
                    return clean;
                }
            }
            return context;
        }
    }
}
