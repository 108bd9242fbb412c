package io.cortex.ledger.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.emission.EmissionPolicy;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A network's genesis as a file (ARCHITECTURE.md section 2): its id, the ledger's configuration (dev mode,
 * root key, author, balances, emission policy, subnet defaults and rules) and the subnets created in its
 * first block. Every node of a network starts from the same spec, and nodes whose {@link #hash()} differs
 * refuse to form one cluster.
 *
 * <p>The file is JSON, its fields named as {@link LedgerConfig}'s components, every amount in rao
 * (1 TAO = 10^9 rao). The hash is SHA-256 over the content's {@link Canonical} encoding, so the file's
 * layout and field order do not change it and any value does. Two specs are equal when their hashes are.
 *
 * <p>Only a dev spec may have genesis subnets: each is created by a transaction its owner signs at genesis,
 * which a node can do only with a well-known dev key. Outside dev mode a network starts with the root subnet
 * alone, and owners create theirs with signed transactions.
 *
 * @param networkId names the network in logs and errors
 * @param ledger the ledger's genesis and rules
 * @param subnets created and started in the first block, netuids 1, 2, ... in order
 */
// long on purpose: the chain spec's format, read, written and checked in one place
public record ChainSpec(String networkId, LedgerConfig ledger, List<GenesisSubnet> subnets) {

    /** The value of the file's {@code format} field; a new layout gets a new one. */
    public static final String FORMAT = "cortex-chain-spec/2";

    private static final Pattern NETWORK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * A subnet created at genesis by its owner, who then sets its owner-settable hyper-parameters.
     *
     * @param owner the owner's coldkey, which signs the creation
     * @param ownerHotkey the hotkey that holds uid 0
     * @param hyperparameters values over the spec's subnet defaults, by name
     */
    public record GenesisSubnet(Address owner, Address ownerHotkey, Map<String, Long> hyperparameters) {
        public GenesisSubnet {
            if (owner == null || ownerHotkey == null) {
                throw new IllegalArgumentException("a genesis subnet needs an owner and an owner hotkey");
            }
            hyperparameters = Collections.unmodifiableMap(new TreeMap<>(hyperparameters));
        }
    }

    public ChainSpec {
        if (networkId == null || !NETWORK_ID.matcher(networkId).matches()) {
            throw new IllegalArgumentException("network id '" + networkId + "': 1 to 64 letters, digits, '.', '_' "
                    + "or '-', starting with a letter or digit");
        }
        if (ledger.rootKey() == null || ledger.author() == null) {
            throw new IllegalArgumentException("a chain spec needs a root key and an author");
        }
        subnets = List.copyOf(subnets);
        long total = 0;
        for (var e : ledger.balances().entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("balance of " + e.getKey() + " is negative: " + e.getValue());
            }
            total = Math.addExact(total, e.getValue());
        }
        for (int i = 0; i < subnets.size(); i++) {
            for (var h : subnets.get(i).hyperparameters().entrySet()) {
                String problem = ledger.subnetDefaults().problem(h.getKey(), h.getValue());
                if (problem == null && SubnetHyperparameters.parameter(h.getKey()).rootOnly()) {
                    problem = h.getKey() + " is the root's to set, not the owner's";
                }
                if (problem != null) {
                    throw new IllegalArgumentException("subnets[" + i + "]: " + problem);
                }
            }
        }
        if (!ledger.devMode()) {
            if (!subnets.isEmpty()) {
                throw new IllegalArgumentException("genesis subnets need dev mode: their owners sign their creation at "
                        + "genesis, which only a dev key can do from a file; outside dev mode owners create subnets with "
                        + "signed transactions once the network runs");
            }
            refuseDevKeys(ledger);
        }
    }

    /** A network outside dev mode refuses the dev keys, so funds or rights given to one could never be used. */
    private static void refuseDevKeys(LedgerConfig ledger) {
        for (String name : DevKeys.NAMES) {
            Address dev = DevKeys.coldkey(name).address();
            String use = dev.equals(ledger.rootKey()) ? "the root key"
                    : dev.equals(ledger.author()) ? "the author"
                    : ledger.balances().containsKey(dev) ? "funded" : null;
            if (use != null) {
                throw new IllegalArgumentException(name + "'s dev key " + dev + " is " + use + ", but a network outside "
                        + "dev mode refuses dev keys");
            }
        }
    }

    /** The dev network of {@link LedgerConfig#devnet()}, with no genesis subnets. */
    public static ChainSpec devnet(String networkId) {
        return new ChainSpec(networkId, LedgerConfig.devnet(), List.of());
    }

    public ChainSpec withSubnets(List<GenesisSubnet> genesis) {
        return new ChainSpec(networkId, ledger, genesis);
    }

    // -------------------------------------------------------------------------------------------- hash

    /** SHA-256 over the canonical encoding of every value. */
    public byte[] hash() {
        Canonical c = Canonical.hashing().tag(FORMAT).string(networkId).bool(ledger.devMode())
                .address(ledger.rootKey()).address(ledger.author());
        c.i32(ledger.balances().size());
        balances().forEach((account, rao) -> c.address(account).i64(rao));
        c.string(ledger.emissionPolicy().name());
        Map<String, Long> defaults = ledger.subnetDefaults().values();
        c.i32(defaults.size());
        defaults.forEach((name, value) -> c.string(name).i64(value));
        c.i64(ledger.minLockCost()).i64(ledger.lockReductionInterval()).f64(ledger.taoWeight())
                .i32(ledger.maxEpochsPerBlock()).i32(ledger.ownerCut()).i32(ledger.defaultTake())
                .i32(ledger.maxCommits()).i64(ledger.startBurn()).i64(ledger.flowHalfLife());
        if (ledger.firstPoolPrice() != 1.0) { // optional: a spec that starts pools at 1 TAO hashes as before
            c.string("firstPoolPrice").f64(ledger.firstPoolPrice());
        }
        c.i32(subnets.size());
        for (GenesisSubnet s : subnets) {
            c.address(s.owner()).address(s.ownerHotkey()).i32(s.hyperparameters().size());
            s.hyperparameters().forEach((name, value) -> c.string(name).i64(value));
        }
        return c.digest();
    }

    /** The genesis balances by account, in the accounts' order (the ledger's map has none). */
    private TreeMap<Address, Long> balances() {
        return new TreeMap<>(ledger.balances());
    }

    public String hashHex() {
        return Canonical.hex(hash());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainSpec s && java.util.Arrays.equals(hash(), s.hash());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(hash());
    }

    @Override
    public String toString() {
        return "chain spec " + networkId + (ledger.devMode() ? " (dev)" : "") + " " + hashHex();
    }

    // -------------------------------------------------------------------------------------------- writing

    /** The spec as an indented JSON document, fields in a fixed order. */
    public String toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeStringField("networkId", networkId);
            g.writeBooleanField("devMode", ledger.devMode());
            g.writeStringField("rootKey", ledger.rootKey().toString());
            g.writeStringField("author", ledger.author().toString());
            g.writeObjectFieldStart("balances");
            for (var e : balances().entrySet()) {
                g.writeNumberField(e.getKey().toString(), e.getValue());
            }
            g.writeEndObject();
            g.writeStringField("emissionPolicy", ledger.emissionPolicy().name());
            g.writeObjectFieldStart("subnetDefaults");
            for (var e : ledger.subnetDefaults().values().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("minLockCost", ledger.minLockCost());
            g.writeNumberField("lockReductionInterval", ledger.lockReductionInterval());
            g.writeNumberField("taoWeight", ledger.taoWeight());
            g.writeNumberField("maxEpochsPerBlock", ledger.maxEpochsPerBlock());
            g.writeNumberField("ownerCut", ledger.ownerCut());
            g.writeNumberField("defaultTake", ledger.defaultTake());
            g.writeNumberField("maxCommits", ledger.maxCommits());
            g.writeNumberField("startBurn", ledger.startBurn());
            g.writeNumberField("flowHalfLife", ledger.flowHalfLife());
            if (ledger.firstPoolPrice() != 1.0) {
                g.writeNumberField("firstPoolPrice", ledger.firstPoolPrice());
            }
            g.writeArrayFieldStart("subnets");
            for (GenesisSubnet s : subnets) {
                g.writeStartObject();
                g.writeStringField("owner", s.owner().toString());
                g.writeStringField("ownerHotkey", s.ownerHotkey().toString());
                g.writeObjectFieldStart("hyperparameters");
                for (var e : s.hyperparameters().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8) + "\n";
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    // -------------------------------------------------------------------------------------------- reading

    /**
     * Reads a spec file.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException naming the file and the field, when its content is not a valid spec
     */
    public static ChainSpec read(Path file) throws IOException {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("chain spec " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a spec: every field required, none unknown, every value checked. */
    // long on purpose: one check per field of the spec, in the format's order, so the format reads in one place
    public static ChainSpec parse(String json) {
        Object document;
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            document = value(p, "");
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("unexpected content after the chain spec object");
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException("malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Fields f = new Fields(object(document, "the chain spec"), "", "format", "networkId", "devMode", "rootKey",
                "author", "balances", "emissionPolicy", "subnetDefaults", "minLockCost", "lockReductionInterval",
                "taoWeight", "maxEpochsPerBlock", "ownerCut", "defaultTake", "maxCommits", "startBurn", "flowHalfLife",
                "firstPoolPrice", "subnets");
        String format = f.string("format");
        if (!format.equals(FORMAT)) {
            throw new IllegalArgumentException("format '" + format + "' is not " + FORMAT);
        }
        String networkId = f.string("networkId");
        boolean devMode = f.bool("devMode");
        Address rootKey = f.address("rootKey");
        Address author = f.address("author");
        Map<Address, Long> balances = new TreeMap<>();
        f.object("balances").forEach((key, value) -> {
            Address account = address(key, "balances." + key);
            balances.put(account, integer(value, "balances." + key, 0, Long.MAX_VALUE));
        });
        EmissionPolicy policy;
        String policyName = f.string("emissionPolicy");
        try {
            policy = EmissionPolicy.named(policyName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("emissionPolicy: " + e.getMessage(), e);
        }
        Map<String, Object> given = f.object("subnetDefaults");
        for (SubnetHyperparameters.Parameter p : SubnetHyperparameters.parameters()) {
            if (!given.containsKey(p.name())) {
                throw new IllegalArgumentException("subnetDefaults." + p.name() + ": missing");
            }
        }
        // the pairwise limits (min_burn <= max_burn ...) hold once every value is in, so set them in two passes
        TreeMap<String, Long> values = new TreeMap<>();
        for (var e : given.entrySet()) {
            String path = "subnetDefaults." + e.getKey();
            if (SubnetHyperparameters.parameter(e.getKey()) == null) {
                throw new IllegalArgumentException(path + ": unknown hyper-parameter");
            }
            values.put(e.getKey(), integer(e.getValue(), path, Long.MIN_VALUE, Long.MAX_VALUE));
        }
        SubnetHyperparameters defaults = withAll(values, "subnetDefaults.");
        LedgerConfig ledger = new LedgerConfig(devMode, rootKey, author, balances, policy, defaults,
                f.integer("minLockCost", 0, Long.MAX_VALUE), f.integer("lockReductionInterval", 1, Long.MAX_VALUE),
                f.fraction("taoWeight"), (int) f.integer("maxEpochsPerBlock", 1, 1_000),
                (int) f.integer("ownerCut", 0, 65_535), (int) f.integer("defaultTake", 0, 65_535),
                (int) f.integer("maxCommits", 1, 1_000), f.integer("startBurn", 0, Long.MAX_VALUE),
                f.integer("flowHalfLife", 1, Long.MAX_VALUE));
        if (f.has("firstPoolPrice")) {
            ledger = ledger.withFirstPoolPrice(f.positive("firstPoolPrice"));
        }
        List<GenesisSubnet> subnets = new ArrayList<>();
        List<Object> list = f.list("subnets");
        for (int i = 0; i < list.size(); i++) {
            String where = "subnets[" + i + "]";
            Fields s = new Fields(object(list.get(i), where), where + ".", "owner", "ownerHotkey", "hyperparameters");
            Map<String, Long> hyper = new TreeMap<>();
            s.object("hyperparameters").forEach((name, value) ->
                    hyper.put(name, integer(value, where + ".hyperparameters." + name, Long.MIN_VALUE, Long.MAX_VALUE)));
            subnets.add(new GenesisSubnet(s.address("owner"), s.address("ownerHotkey"), hyper));
        }
        return new ChainSpec(networkId, ledger, subnets);
    }

    /**
     * Every value set over the defaults. The pairs that bound each other (min_burn and max_burn, alpha_low and
     * alpha_high, validators and uids) start at their widest, so that no order of setting trips a pairwise
     * check; a second pass checks each value against the others' final values.
     */
    private static SubnetHyperparameters withAll(Map<String, Long> values, String prefix) {
        SubnetHyperparameters loose = SubnetHyperparameters.defaults()
                .with("max_burn", SubnetHyperparameters.parameter("max_burn").max())
                .with("min_burn", SubnetHyperparameters.parameter("min_burn").min())
                .with("alpha_high", SubnetHyperparameters.parameter("alpha_high").max())
                .with("alpha_low", SubnetHyperparameters.parameter("alpha_low").min())
                .with("max_allowed_uids", SubnetHyperparameters.parameter("max_allowed_uids").max());
        for (var e : values.entrySet()) {
            String problem = loose.problem(e.getKey(), e.getValue());
            if (problem != null) {
                throw new IllegalArgumentException(prefix + e.getKey() + ": " + problem);
            }
            loose = loose.with(e.getKey(), e.getValue());
        }
        for (var e : values.entrySet()) {
            String problem = loose.problem(e.getKey(), e.getValue());
            if (problem != null) {
                throw new IllegalArgumentException(prefix + e.getKey() + ": " + problem);
            }
        }
        return loose;
    }

    /** The fields of one JSON object, every one of them known (a misspelt name is named as unknown). */
    private static final class Fields {
        private final Map<String, Object> fields;
        private final String prefix;

        Fields(Map<String, Object> fields, String prefix, String... known) {
            this.fields = fields;
            this.prefix = prefix;
            List<String> names = List.of(known);
            for (String name : fields.keySet()) {
                if (!names.contains(name)) {
                    throw new IllegalArgumentException(prefix + name + ": unknown field");
                }
            }
        }

        private Object take(String name) {
            if (!fields.containsKey(name)) {
                throw new IllegalArgumentException(prefix + name + ": missing");
            }
            return fields.get(name);
        }

        String string(String name) {
            if (take(name) instanceof String s) {
                return s;
            }
            throw new IllegalArgumentException(prefix + name + ": must be a string");
        }

        boolean bool(String name) {
            if (take(name) instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException(prefix + name + ": must be true or false");
        }

        Address address(String name) {
            return ChainSpec.address(take(name), prefix + name);
        }

        long integer(String name, long min, long max) {
            return ChainSpec.integer(take(name), prefix + name, min, max);
        }

        double fraction(String name) {
            Object v = take(name);
            if (v instanceof Double d && d >= 0 && d <= 1) {
                return d;
            }
            if (v instanceof Long l && (l == 0 || l == 1)) {
                return l;
            }
            throw new IllegalArgumentException(prefix + name + ": must be a number from 0 to 1");
        }

        Map<String, Object> object(String name) {
            return ChainSpec.object(take(name), prefix + name);
        }

        boolean has(String name) {
            return fields.containsKey(name);
        }

        double positive(String name) {
            Object v = take(name);
            double d = v instanceof Double x ? x : v instanceof Long l ? l : Double.NaN;
            if (d > 0 && !Double.isInfinite(d)) {
                return d;
            }
            throw new IllegalArgumentException(prefix + name + ": must be a positive number");
        }

        @SuppressWarnings("unchecked")
        List<Object> list(String name) {
            if (take(name) instanceof List<?> l) {
                return (List<Object>) l;
            }
            throw new IllegalArgumentException(prefix + name + ": must be an array");
        }
    }

    private static Address address(Object value, String path) {
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(path + ": must be an address (a string)");
        }
        try {
            return Address.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    private static long integer(Object value, String path, long min, long max) {
        if (!(value instanceof Long v)) {
            throw new IllegalArgumentException(path + ": must be a whole number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(path + ": " + v + " out of range (" + min + " .. " + max + ")");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String path) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(path + ": must be an object");
    }

    /**
     * The JSON value at the parser's current token: objects as maps (a field twice is an error), arrays as
     * lists, whole numbers as {@code Long} (never through double), other numbers as {@code Double}.
     */
    private static Object value(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new IllegalArgumentException("empty document");
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String at = path.isEmpty() ? name : path + "." + name;
                    p.nextToken();
                    if (map.put(name, value(p, at)) != null) {
                        throw new IllegalArgumentException(at + ": appears twice");
                    }
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p, path + "[" + list.size() + "]"));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new IllegalArgumentException(path + ": " + p.getText() + " is too large");
                }
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return Double.parseDouble(p.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return t == JsonToken.VALUE_TRUE;
            }
            default -> throw new IllegalArgumentException(path + ": unexpected " + t);
        }
    }
}
