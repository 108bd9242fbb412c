package io.cortex.ledger.yuma;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The epoch audit format of epoch-io.md: reads an {@link EpochInput} with every check a user needs (one
 * {@link EpochFormatException} naming the field), writes inputs and outputs. Integers are read as exact
 * integers, never through {@code double}.
 */
// long on purpose: the epoch's JSON (epoch-io.md), read and written in one place
public final class EpochJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final long U16 = 65535;
    private static final long U32 = 0xFFFF_FFFFL;
    private static final long I64 = Long.MAX_VALUE;

    private EpochJson() {
    }

    // ------------------------------------------------------------------------------------------ reading

    /** Reads one EpochInput object; the stream must hold nothing else. */
    public static EpochInput readInput(InputStream json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            EpochInput input = new InputReader(p).read();
            if (p.nextToken() != null) {
                throw new EpochFormatException("", "unexpected content after the EpochInput object");
            }
            return input;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new EpochFormatException("", "malformed JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    public static EpochInput readInput(byte[] json) {
        try {
            return readInput(new java.io.ByteArrayInputStream(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class InputReader {
        private final JsonParser p;
        private final Set<String> seen = new HashSet<>();

        private Long n;
        private Long block;
        private Long tempo;
        private Long emission;
        private Long lastMechanismStepBlock;
        private Long ownerUid;
        private boolean ownerPresent;
        private Hyperparameters hyper;
        private long[] stake;
        private long[] lastUpdate;
        private long[] blockAtRegistration;
        private boolean[] validatorPermit;
        private List<long[][]> weights;
        private List<long[][]> bonds;
        private long[] earliestCommitBlock;

        InputReader(JsonParser p) {
            this.p = p;
        }

        // long on purpose: one case per field of epoch-io.md, in its order
        EpochInput read() throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new EpochFormatException("", "an EpochInput must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (!seen.add(field)) {
                    throw new EpochFormatException(field, "appears twice");
                }
                p.nextToken();
                switch (field) {
                    case "n" -> n = integer(field, 0, U16);
                    case "block" -> block = integer(field, 0, I64);
                    case "tempo" -> tempo = integer(field, 0, U16);
                    case "emission" -> emission = integer(field, 0, I64);
                    case "last_mechanism_step_block" -> lastMechanismStepBlock = integer(field, 0, I64);
                    case "owner_uid" -> {
                        ownerPresent = true;
                        ownerUid = p.currentToken() == JsonToken.VALUE_NULL ? null : integer(field, 0, U16);
                    }
                    case "hyper" -> hyper = hyper();
                    case "stake" -> stake = integers(field, 0, I64);
                    case "last_update" -> lastUpdate = integers(field, 0, I64);
                    case "block_at_registration" -> blockAtRegistration = integers(field, 0, I64);
                    case "validator_permit" -> validatorPermit = booleans(field);
                    case "weights" -> weights = sparse(field);
                    case "bonds" -> bonds = sparse(field);
                    case "earliest_commit_block" -> earliestCommitBlock = p.currentToken() == JsonToken.VALUE_NULL
                            ? null : nullableIntegers(field);
                    default -> throw new EpochFormatException(field, "unknown field");
                }
            }
            int size = (int) (long) require("n", n);
            require("block", block);
            require("tempo", tempo);
            require("emission", emission);
            require("last_mechanism_step_block", lastMechanismStepBlock);
            if (!ownerPresent) {
                throw new EpochFormatException("owner_uid", "missing (use null for a subnet without owner uid)");
            }
            require("hyper", hyper);
            length("stake", require("stake", stake).length, size);
            length("last_update", require("last_update", lastUpdate).length, size);
            length("block_at_registration", require("block_at_registration", blockAtRegistration).length, size);
            length("validator_permit", require("validator_permit", validatorPermit).length, size);
            length("weights", require("weights", weights).size(), size);
            length("bonds", require("bonds", bonds).size(), size);
            if (earliestCommitBlock != null) {
                length("earliest_commit_block", earliestCommitBlock.length, size);
            }
            if (ownerUid != null && ownerUid >= size) {
                throw new EpochFormatException("owner_uid", "uid " + ownerUid + " out of range (n = " + size + ")");
            }
            long total = 0;
            for (int i = 0; i < size; i++) {
                total += stake[i];
                if (total < 0) {
                    throw new EpochFormatException("stake", "total stake exceeds " + I64 + " rao");
                }
            }
            return new EpochInput(size, block, (int) (long) tempo, emission, lastMechanismStepBlock,
                    ownerUid == null ? EpochInput.NO_OWNER : (int) (long) ownerUid, hyper, stake, lastUpdate,
                    blockAtRegistration, validatorPermit, stored("weights", weights, size),
                    stored("bonds", bonds, size), earliestCommitBlock);
        }

        private Hyperparameters hyper() throws IOException {
            expect("hyper", JsonToken.START_OBJECT, "an object");
            Long kappa = null;
            Long bondsPenalty = null;
            Long bondsMovingAverage = null;
            Boolean yuma3 = null;
            Boolean liquidAlpha = null;
            Long alphaLow = null;
            Long alphaHigh = null;
            Long steepness = null;
            Long maxValidators = null;
            Long cutoffFactor = null;
            Long stakeThreshold = null;
            boolean meanConsensus = false;
            Set<String> fields = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                String path = "hyper." + name;
                if (!fields.add(name)) {
                    throw new EpochFormatException(path, "appears twice");
                }
                p.nextToken();
                switch (name) {
                    case "kappa" -> kappa = integer(path, 0, U16);
                    case "bonds_penalty" -> bondsPenalty = integer(path, 0, U16);
                    case "bonds_moving_average" -> bondsMovingAverage = integer(path, 0, 1_000_000);
                    case "yuma3" -> yuma3 = bool(path);
                    case "liquid_alpha" -> liquidAlpha = bool(path);
                    case "alpha_low" -> alphaLow = integer(path, 0, U16);
                    case "alpha_high" -> alphaHigh = integer(path, 0, U16);
                    case "alpha_sigmoid_steepness" -> steepness = integer(path, Short.MIN_VALUE, Short.MAX_VALUE);
                    case "max_allowed_validators" -> maxValidators = integer(path, 0, U16);
                    case "activity_cutoff_factor_milli" -> cutoffFactor = integer(path, 0, U32);
                    case "stake_threshold" -> stakeThreshold = integer(path, 0, I64);
                    case "mean_consensus" -> meanConsensus = bool(path);
                    default -> throw new EpochFormatException(path, "unknown field");
                }
            }
            return new Hyperparameters(
                    (int) (long) require("hyper.kappa", kappa),
                    (int) (long) require("hyper.bonds_penalty", bondsPenalty),
                    require("hyper.bonds_moving_average", bondsMovingAverage),
                    require("hyper.yuma3", yuma3),
                    require("hyper.liquid_alpha", liquidAlpha),
                    (int) (long) require("hyper.alpha_low", alphaLow),
                    (int) (long) require("hyper.alpha_high", alphaHigh),
                    (int) (long) require("hyper.alpha_sigmoid_steepness", steepness),
                    (int) (long) require("hyper.max_allowed_validators", maxValidators),
                    require("hyper.activity_cutoff_factor_milli", cutoffFactor),
                    require("hyper.stake_threshold", stakeThreshold),
                    meanConsensus);
        }

        private long integer(String path, long min, long max) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                throw new EpochFormatException(path, "must be an integer, got " + p.getText());
            }
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw new EpochFormatException(path, "must be an integer, got " + describe(t));
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                BigInteger v = p.getBigIntegerValue();
                throw new EpochFormatException(path, v + " out of range (" + min + " .. " + max + ")");
            }
            long v = p.getLongValue();
            if (v < min || v > max) {
                String what = min == 0 && v < 0 ? "negative (" + v + ")" : v + " out of range (" + min + " .. " + max + ")";
                throw new EpochFormatException(path, what);
            }
            return v;
        }

        private boolean bool(String path) {
            JsonToken t = p.currentToken();
            if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                throw new EpochFormatException(path, "must be true or false, got " + describe(t));
            }
            return t == JsonToken.VALUE_TRUE;
        }

        private long[] integers(String field, long min, long max) throws IOException {
            expect(field, JsonToken.START_ARRAY, "an array");
            LongList out = new LongList();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                out.add(integer(field + "[" + out.size + "]", min, max));
            }
            return out.toArray();
        }

        private long[] nullableIntegers(String field) throws IOException {
            expect(field, JsonToken.START_ARRAY, "an array or null");
            LongList out = new LongList();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                out.add(p.currentToken() == JsonToken.VALUE_NULL ? EpochInput.NO_COMMIT
                        : integer(field + "[" + out.size + "]", 0, I64 - 1));
            }
            return out.toArray();
        }

        private boolean[] booleans(String field) throws IOException {
            expect(field, JsonToken.START_ARRAY, "an array");
            List<Boolean> out = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                out.add(bool(field + "[" + out.size() + "]"));
            }
            boolean[] b = new boolean[out.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = out.get(i);
            }
            return b;
        }

        /** Rows of [column, u16] pairs; columns are checked against n once n is known. */
        private List<long[][]> sparse(String field) throws IOException {
            expect(field, JsonToken.START_ARRAY, "an array of rows");
            List<long[][]> rows = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String rowPath = field + "[" + rows.size() + "]";
                expect(rowPath, JsonToken.START_ARRAY, "a row: an array of [uid, value] pairs");
                List<long[]> row = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    String entryPath = rowPath + "[" + row.size() + "]";
                    expect(entryPath, JsonToken.START_ARRAY, "a [uid, value] pair");
                    p.nextToken();
                    long column = integer(entryPath + "[0]", 0, U16);
                    p.nextToken();
                    long value = integer(entryPath + "[1]", 0, U16);
                    if (p.nextToken() != JsonToken.END_ARRAY) {
                        throw new EpochFormatException(entryPath, "must be a [uid, value] pair");
                    }
                    row.add(new long[] {column, value});
                }
                rows.add(row.toArray(new long[0][]));
            }
            return rows;
        }

        private StoredMatrix stored(String field, List<long[][]> rows, int n) {
            int capacity = 0;
            for (long[][] row : rows) {
                capacity += row.length;
            }
            StoredMatrix.Builder b = StoredMatrix.builder(n, capacity);
            for (int i = 0; i < n; i++) {
                long previous = -1;
                long[][] row = rows.get(i);
                for (int k = 0; k < row.length; k++) {
                    long column = row[k][0];
                    String path = field + "[" + i + "][" + k + "]";
                    if (column >= n) {
                        throw new EpochFormatException(path, "uid " + column + " out of range (n = " + n + ")");
                    }
                    if (column <= previous) {
                        throw new EpochFormatException(path, column == previous ? "uid " + column + " appears twice"
                                : "uids must be ascending (" + column + " after " + previous + ")");
                    }
                    previous = column;
                    b.add((int) column, (int) row[k][1]);
                }
                b.endRow();
            }
            return b.build();
        }

        private void expect(String path, JsonToken token, String what) {
            if (p.currentToken() != token) {
                throw new EpochFormatException(path, "must be " + what + ", got " + describe(p.currentToken()));
            }
        }

        private static <T> T require(String field, T value) {
            if (value == null) {
                throw new EpochFormatException(field, "missing");
            }
            return value;
        }

        private static void length(String field, int actual, int n) {
            if (actual != n) {
                throw new EpochFormatException(field, "has " + actual + " entries, expected n = " + n);
            }
        }

        private String describe(JsonToken t) {
            if (t == null) {
                return "end of input";
            }
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NULL -> "null";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                default -> t.asString() == null ? t.name() : t.asString();
            };
        }
    }

    /** A growable long array, so a 4096-uid input is not boxed. */
    private static final class LongList {
        private long[] values = new long[16];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    // ------------------------------------------------------------------------------------------ writing

    /** Writes the input in the field order of epoch-io.md, one field per line. */
    public static void writeInput(EpochInput in, OutputStream out) throws IOException {
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            field(g, "n").writeNumber(in.n());
            field(g, "block").writeNumber(in.block());
            field(g, "tempo").writeNumber(in.tempo());
            field(g, "emission").writeNumber(in.emission());
            field(g, "last_mechanism_step_block").writeNumber(in.lastMechanismStepBlock());
            field(g, "owner_uid");
            if (in.hasOwner()) {
                g.writeNumber(in.ownerUid());
            } else {
                g.writeNull();
            }
            Hyperparameters h = in.hyper();
            field(g, "hyper").writeStartObject();
            g.writeNumberField("kappa", h.kappa());
            g.writeNumberField("bonds_penalty", h.bondsPenalty());
            g.writeNumberField("bonds_moving_average", h.bondsMovingAverage());
            g.writeBooleanField("yuma3", h.yuma3());
            g.writeBooleanField("liquid_alpha", h.liquidAlpha());
            g.writeNumberField("alpha_low", h.alphaLow());
            g.writeNumberField("alpha_high", h.alphaHigh());
            g.writeNumberField("alpha_sigmoid_steepness", h.alphaSigmoidSteepness());
            g.writeNumberField("max_allowed_validators", h.maxAllowedValidators());
            g.writeNumberField("activity_cutoff_factor_milli", h.activityCutoffFactorMilli());
            g.writeNumberField("stake_threshold", h.stakeThreshold());
            if (h.meanConsensus()) { // written only when on: a kappa-median input keeps its JSON and its hash
                g.writeBooleanField("mean_consensus", true);
            }
            g.writeEndObject();
            longs(field(g, "stake"), in.stake());
            longs(field(g, "last_update"), in.lastUpdate());
            longs(field(g, "block_at_registration"), in.blockAtRegistration());
            booleans(field(g, "validator_permit"), in.validatorPermit());
            matrix(field(g, "weights"), in.weights());
            matrix(field(g, "bonds"), in.bonds());
            if (in.commitReveal()) {
                field(g, "earliest_commit_block").writeStartArray();
                for (long b : in.earliestCommitBlock()) {
                    if (b == EpochInput.NO_COMMIT) {
                        g.writeNull();
                    } else {
                        g.writeNumber(b);
                    }
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }

    /** Writes the output in the field order of epoch-io.md, one field per line. */
    public static void writeOutput(EpochOutput o, OutputStream out) throws IOException {
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            booleans(field(g, "active"), o.active());
            ints(field(g, "stake_weight"), o.stakeWeight());
            booleans(field(g, "validator_permit"), o.validatorPermit());
            ints(field(g, "consensus"), o.consensus());
            ints(field(g, "validator_trust"), o.validatorTrust());
            ints(field(g, "incentive"), o.incentive());
            ints(field(g, "dividends"), o.dividends());
            unsignedLongs(field(g, "server_emission"), o.serverEmission());
            unsignedLongs(field(g, "validator_emission"), o.validatorEmission());
            unsignedLongs(field(g, "emission"), o.emission());
            matrix(field(g, "bonds"), o.bonds());
            g.writeEndObject();
        }
    }

    public static byte[] inputBytes(EpochInput in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeInput(in, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] outputBytes(EpochOutput o) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeOutput(o, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static JsonGenerator field(JsonGenerator g, String name) throws IOException {
        g.writeFieldName(name);
        return g;
    }

    private static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.setPrettyPrinter(new OneFieldPerLine());
        return g;
    }

    /** Top-level fields one per line, everything inside them on that line: readable and diffable. */
    private static final class OneFieldPerLine implements PrettyPrinter {
        private int depth;

        @Override
        public void writeRootValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            depth++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            if (depth == 1) {
                g.writeRaw("\n  ");
            }
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(depth == 1 ? ",\n  " : ", ");
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            depth--;
            g.writeRaw(depth == 0 ? "\n}\n" : "}");
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) {
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            g.writeRaw(']');
        }
    }

    /** An array of numbers, through the pretty printer above as every other array. */
    private static void longs(JsonGenerator g, long[] values) throws IOException {
        g.writeArray(values, 0, values.length);
    }

    private static void unsignedLongs(JsonGenerator g, long[] values) throws IOException {
        g.writeStartArray();
        for (long v : values) {
            if (v >= 0) {
                g.writeNumber(v);
            } else {
                g.writeNumber(Long.toUnsignedString(v));
            }
        }
        g.writeEndArray();
    }

    private static void ints(JsonGenerator g, int[] values) throws IOException {
        g.writeArray(values, 0, values.length);
    }

    private static void booleans(JsonGenerator g, boolean[] values) throws IOException {
        g.writeStartArray();
        for (boolean v : values) {
            g.writeBoolean(v);
        }
        g.writeEndArray();
    }

    private static void matrix(JsonGenerator g, StoredMatrix m) throws IOException {
        g.writeStartArray();
        for (int i = 0; i < m.rows(); i++) {
            g.writeStartArray();
            for (int k = m.rowStart(i); k < m.rowEnd(i); k++) {
                g.writeStartArray();
                g.writeNumber(m.column(k));
                g.writeNumber(m.value(k));
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }
}
