package io.cortex.ledger.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain spec file: what it holds comes back as written, its hash follows its content, and bad files are refused. */
class ChainSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Keypair OPERATOR = Keypair.fromSeed(new byte[32]);
    private static final Keypair MINER = Keypair.fromSeed(filled(7));

    /** A dev spec with an extra account and one genesis subnet: every kind of field has a value. */
    private static ChainSpec devSpec() {
        LedgerConfig devnet = LedgerConfig.devnet();
        Map<io.cortex.core.identity.Address, Long> balances = new TreeMap<>(devnet.balances());
        balances.put(MINER.address(), Rao.tao(42));
        return new ChainSpec("cortex-dev", devnet.withBalances(balances), List.of(new ChainSpec.GenesisSubnet(
                DevKeys.coldkey("alice").address(), DevKeys.hotkey("alice", 0).address(), Map.of("tempo", 30L))));
    }

    private static ChainSpec openSpec() {
        return new ChainSpec("cortex-open", LedgerConfig.openNetwork(OPERATOR.address())
                .withBalances(Map.of(OPERATOR.address(), Rao.tao(1_000), MINER.address(), Rao.tao(10))), List.of());
    }

    @Test
    void aSpecReadsBackAsWrittenAndGivesTheSameLedger(@TempDir Path dir) throws Exception {
        for (ChainSpec spec : List.of(devSpec(), openSpec())) {
            Path file = dir.resolve(spec.networkId() + ".json");
            spec.write(file);

            ChainSpec read = ChainSpec.read(file);

            assertEquals(spec, read);
            assertEquals(spec.hashHex(), read.hashHex());
            assertEquals(spec.networkId(), read.networkId());
            assertEquals(spec.subnets(), read.subnets());
            assertEquals(spec.ledger().balances(), read.ledger().balances());
            assertEquals(spec.ledger().devMode(), read.ledger().devMode());
            assertArrayEquals(StateCodec.configFingerprint(spec.ledger()), StateCodec.configFingerprint(read.ledger()),
                    "the same genesis state and rules");
        }
    }

    @Test
    void theHashIgnoresLayoutAndFieldOrder() throws Exception {
        ChainSpec spec = devSpec();
        ObjectNode tree = (ObjectNode) JSON.readTree(spec.toJson());
        ObjectNode reversed = JSON.createObjectNode();
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        for (int i = names.size() - 1; i >= 0; i--) {
            reversed.set(names.get(i), tree.get(names.get(i)));
        }

        ChainSpec compact = ChainSpec.parse(JSON.writeValueAsString(reversed));

        assertEquals(spec.hashHex(), compact.hashHex());
        assertEquals(spec.hashHex(), devSpec().hashHex(), "the same content twice, the same hash");
    }

    /**
     * The hash depends on the content alone, in every JVM (the ledger's balances map has a per-JVM iteration
     * order): the devnet's is fixed here, so a change to the encoding shows, and must come with a new FORMAT.
     */
    @Test
    void theDevnetsHashAndFileAreTheSameInEveryJvm() throws Exception {
        ChainSpec devnet = ChainSpec.devnet("cortex-dev");

        assertEquals("846328c7881261a4b8706a88cba2c4af97218b8980bd9c071647563143fc24f8", devnet.hashHex());
        List<String> accounts = new ArrayList<>();
        JSON.readTree(devnet.toJson()).get("balances").fieldNames().forEachRemaining(accounts::add);
        List<String> ordered = new TreeMap<>(devnet.ledger().balances()).keySet().stream().map(Object::toString).toList();
        assertEquals(ordered, accounts, "the file lists the accounts in their order");
    }

    @Test
    void changingAnyValueInTheFileChangesTheHash() throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(devSpec().toJson());
        String original = devSpec().hashHex();
        List<String> changed = new ArrayList<>();
        forEachValue(tree, "", (path, edits) -> {
            if (path.equals("format") || path.equals("devMode")) {
                return; // a format is not content; dev mode has a test of its own
            }
            String hash = null;
            for (Edit edit : edits) {
                edit.apply().run();
                try {
                    hash = ChainSpec.parse(JSON.writeValueAsString(tree)).hashHex();
                } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException outOfRange) {
                    hash = null;
                } finally {
                    edit.undo().run();
                }
                if (hash != null) {
                    break;
                }
            }
            assertTrue(hash != null, "no valid change found for " + path);
            assertNotEquals(original, hash, "changing " + path + " left the hash as it was");
            changed.add(path);
        });
        assertEquals(original, ChainSpec.parse(JSON.writeValueAsString(tree)).hashHex(), "every edit was undone");
        assertTrue(changed.containsAll(List.of("networkId", "rootKey", "author", "emissionPolicy", "taoWeight",
                "subnetDefaults.tempo", "subnets[0].owner", "subnets[0].hyperparameters.tempo", "startBurn")), changed.toString());
        assertTrue(changed.stream().anyMatch(p -> p.startsWith("balances.") && p.endsWith(" (key)")), changed.toString());

        ChainSpec open = openSpec();
        ChainSpec flipped = new ChainSpec(open.networkId(), open.ledger().withDevMode(true), List.of());
        assertNotEquals(open.hashHex(), flipped.hashHex(), "dev mode is part of the hash");
    }

    @Test
    void aSpecOutsideDevModeRefusesDevKeysAndGenesisSubnets() {
        ChainSpec open = openSpec();
        IllegalArgumentException root = assertThrows(IllegalArgumentException.class, () -> new ChainSpec("x",
                open.ledger().withRootKey(DevKeys.coldkey("alice").address(), OPERATOR.address()), List.of()));
        assertTrue(root.getMessage().contains("alice's dev key") && root.getMessage().contains("root key"), root.getMessage());

        IllegalArgumentException funded = assertThrows(IllegalArgumentException.class, () -> new ChainSpec("x",
                open.ledger().withBalances(Map.of(DevKeys.coldkey("bob").address(), 1L)), List.of()));
        assertTrue(funded.getMessage().contains("bob's dev key"), funded.getMessage());

        IllegalArgumentException subnets = assertThrows(IllegalArgumentException.class,
                () -> open.withSubnets(devSpec().subnets()));
        assertTrue(subnets.getMessage().contains("genesis subnets need dev mode"), subnets.getMessage());
    }

    @Test
    void aLedgerFromASpecOutsideDevModeRefusesEveryDevKeyAndPaysTheSpecsBalances() {
        ChainSpec open = ChainSpec.parse(openSpec().toJson());
        LedgerState ledger = LedgerState.genesis(open.ledger());
        assertEquals(Rao.tao(1_000), ledger.balance(OPERATOR.address()));
        assertEquals(Rao.tao(10), ledger.balance(MINER.address()));

        Transaction pay = new Transaction.Transfer(MINER.address(), Rao.tao(1));
        List<SignedTransaction> txs = List.of(
                SignedTransaction.sign(DevKeys.coldkey("alice"), 0, pay),
                SignedTransaction.sign(DevKeys.hotkey("bob", 3), 0, pay),
                SignedTransaction.sign(OPERATOR, 0, pay));
        List<Receipt> receipts = ledger.apply(new Block(1, 0, txs)).receipts();

        assertEquals(RejectReason.DEV_KEY_REFUSED, ((Receipt.Rejected) receipts.get(0)).reason());
        assertEquals(RejectReason.DEV_KEY_REFUSED, ((Receipt.Rejected) receipts.get(1)).reason());
        assertTrue(receipts.get(2).accepted(), "the operator's own key signs");
        assertEquals(Rao.tao(11), ledger.balance(MINER.address()));
    }

    @Test
    void aFirstPoolPriceIsOptionalReadBackAndPartOfTheHash() {
        ChainSpec plain = devSpec();
        assertFalse(plain.toJson().contains("firstPoolPrice"), "a spec at price 1 is written as before");
        ChainSpec cheap = new ChainSpec(plain.networkId(), plain.ledger().withFirstPoolPrice(0.02), plain.subnets());
        ChainSpec read = ChainSpec.parse(cheap.toJson());
        assertEquals(0.02, read.ledger().firstPoolPrice());
        assertEquals(cheap.hashHex(), read.hashHex());
        assertNotEquals(plain.hashHex(), cheap.hashHex());
        assertNotEquals(java.util.Arrays.toString(StateCodec.configFingerprint(plain.ledger())),
                java.util.Arrays.toString(StateCodec.configFingerprint(cheap.ledger())));
        LedgerState state = LedgerState.genesis(read.ledger());
        state.apply(new Block(1, 0, List.of(io.cortex.ledger.tx.SignedTransaction.sign(DevKeys.coldkey("alice"), 0,
                new io.cortex.ledger.tx.Transaction.CreateSubnet(DevKeys.hotkey("alice", 0).address())))));
        assertEquals(0.02, state.subnet(1).price(), 1e-6, "the first subnet's pool starts at that price");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChainSpec.parse(cheap.toJson().replace("0.02", "-1")));
        assertTrue(e.getMessage().contains("firstPoolPrice: must be a positive number"), e.getMessage());
    }

    @Test
    void aBadFileIsRefusedNamingTheField() {
        String good = devSpec().toJson();
        String alice = DevKeys.coldkey("alice").address().toString();
        Map<String, String> cases = Map.of(
                good.replace("\"networkId\"", "\"networkID\""), "networkID: unknown field",
                good.replace("\"rootKey\" : \"" + alice, "\"rootKey\" : \"" + alice.substring(0, alice.length() - 1) + "x"),
                "rootKey:",
                good.replace("\"tempo\" : 20", "\"tempo\" : 0"), "subnetDefaults.tempo: tempo = 0 out of range",
                good.replace("\"kappa\"", "\"kapa\""), "subnetDefaults.kappa: missing",
                good.replace("\"maxCommits\" : 10", "\"maxCommits\" : 10.5"), "maxCommits: must be a whole number",
                good.replace("\"format\" : \"cortex-chain-spec/2\"", "\"format\" : \"cortex-chain-spec/9\""), "format",
                good.replace("\"tempo\" : 30", "\"kappa\" : 30"), "kappa is the root's to set",
                good.substring(0, good.length() / 2), "malformed JSON");
        cases.forEach((json, expected) -> {
            assertNotEquals(good, json, "the case for '" + expected + "' changes nothing");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChainSpec.parse(json), expected);
            assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        });
    }

    @Test
    void aMissingFileIsAnIoErrorNotAFormatError(@TempDir Path dir) {
        assertThrows(java.io.IOException.class, () -> ChainSpec.read(dir.resolve("absent.json")));
        assertFalse(Files.exists(dir.resolve("absent.json")));
    }

    /** A change to the tree and its undoing. */
    private record Edit(Runnable apply, Runnable undo) {
    }

    /** Calls {@code visit} with each value's path and edits that change it, each tried until one gives a valid spec. */
    private interface Visitor {
        void visit(String path, List<Edit> edits);
    }

    private static void forEachValue(JsonNode node, String path, Visitor visitor) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String at = path.isEmpty() ? name : path + "." + name;
                JsonNode child = object.get(name);
                if (child.isValueNode()) {
                    visitor.visit(at, edits(child).stream()
                            .map(v -> new Edit(() -> object.set(name, v), () -> object.set(name, child))).toList());
                    if (path.equals("balances")) {
                        String other = OPERATOR.address().toString();
                        visitor.visit(at + " (key)", List.of(new Edit(() -> {
                            object.remove(name);
                            object.set(other, child);
                        }, () -> {
                            object.remove(other);
                            object.set(name, child);
                        })));
                    }
                } else {
                    forEachValue(child, at, visitor);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                forEachValue(array.get(i), path + "[" + i + "]", visitor);
            }
        }
    }

    /** Other values of the same kind, nearest first. */
    private static List<JsonNode> edits(JsonNode value) {
        if (value.isBoolean()) {
            return List.of(BooleanNode.valueOf(!value.booleanValue()));
        }
        if (value.isIntegralNumber()) {
            return List.of(LongNode.valueOf(value.longValue() + 1), LongNode.valueOf(value.longValue() - 1));
        }
        if (value.isNumber()) {
            return List.of(DoubleNode.valueOf(value.doubleValue() + 0.01), DoubleNode.valueOf(value.doubleValue() - 0.01));
        }
        String text = value.textValue();
        if (text.startsWith("cx")) {
            return List.of(TextNode.valueOf(OPERATOR.address().toString()), TextNode.valueOf(MINER.address().toString()));
        }
        if (text.equals("price-ema")) {
            return List.of(TextNode.valueOf("equal"));
        }
        return List.of(TextNode.valueOf(text + "-2"));
    }

    private static byte[] filled(int b) {
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) b);
        return seed;
    }
}
