package io.cortex.ledger.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.WeightCommitment;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand random blocks of random transactions, many of them invalid or hostile (forged signatures,
 * replays, wrong nonces, absurd amounts, malformed weights, strangers acting as owners), and conservation
 * checked after every one: nothing is ever created or lost, whatever is thrown at the ledger.
 */
class ConservationPropertyTest {
    private static final long TAO = 1_000_000_000L;

    private final SplittableRandom random = new SplittableRandom(20261125);
    private final List<Keypair> coldkeys = new ArrayList<>();
    private final List<Keypair> hotkeys = new ArrayList<>();
    private final List<SignedTransaction> history = new ArrayList<>();
    private final Map<RejectReason, Integer> rejections = new EnumMap<>(RejectReason.class);
    private LedgerState state;
    private int accepted;

    @Test
    void tenThousandHostileBlocksNeverBreakConservation() {
        state = LedgerState.genesis(LedgerConfig.devnet().withSubnetDefaults(LedgerConfig.devnet().subnetDefaults()
                .with("tempo", 10).with("weights_rate_limit", 2).with("immunity_period", 20)
                .with("max_allowed_uids", 24).with("commit_reveal", 0)));
        for (String name : DevKeys.NAMES) {
            coldkeys.add(DevKeys.coldkey(name));
        }
        coldkeys.add(Keypair.generate()); // a stranger with no money
        for (int i = 0; i < 40; i++) {
            hotkeys.add(DevKeys.hotkey(DevKeys.NAMES.get(i % DevKeys.NAMES.size()), i / DevKeys.NAMES.size()));
        }

        for (int b = 0; b < 10_000; b++) {
            List<SignedTransaction> txs = new ArrayList<>();
            int count = random.nextInt(4);
            for (int i = 0; i < count; i++) {
                txs.add(randomTransaction());
            }
            BlockResult result = state.apply(new Block(state.height() + 1, b, txs));
            for (Receipt r : result.receipts()) {
                if (r instanceof Receipt.Rejected rejected) {
                    rejections.merge(rejected.reason(), 1, Integer::sum);
                } else {
                    accepted++;
                }
            }
            List<String> problems = Conservation.violations(state);
            assertEquals(List.of(), problems, "conservation broken at block " + state.height());
        }

        // the run reached the interesting places: real activity, epochs, and every kind of refusal
        assertTrue(accepted > 2000, "accepted " + accepted);
        assertTrue(state.subnets().size() > 2, "subnets " + state.subnets().size());
        assertTrue(state.subnets().values().stream().mapToLong(Subnet::epochIndex).max().orElse(0) > 100);
        for (RejectReason r : List.of(RejectReason.BAD_SIGNATURE, RejectReason.WRONG_NONCE, RejectReason.INVALID_AMOUNT,
                RejectReason.INSUFFICIENT_BALANCE, RejectReason.WEIGHTS_INVALID, RejectReason.NOT_OWNER,
                RejectReason.UNKNOWN_SUBNET)) {
            assertTrue(rejections.getOrDefault(r, 0) > 10, r + " seen " + rejections.getOrDefault(r, 0) + " times");
        }
    }

    private SignedTransaction randomTransaction() {
        int hostile = random.nextInt(10);
        if (hostile == 0 && !history.isEmpty()) {
            return history.get(random.nextInt(history.size())); // a replay
        }
        Keypair signer;
        Transaction body;
        if (random.nextInt(10) < 6) {
            // plausible: consistent keys, existing subnets, registered hotkeys; invalid only by chance
            Subnet subnet = pick(new ArrayList<>(state.subnets().values()));
            int owner = random.nextInt(DevKeys.NAMES.size());
            Keypair coldkey = DevKeys.coldkey(DevKeys.NAMES.get(owner));
            Keypair hotkey = DevKeys.hotkey(DevKeys.NAMES.get(owner), random.nextInt(7));
            boolean asHotkey = random.nextBoolean() && subnet.size() > 0;
            if (asHotkey) {
                hotkey = DevKeys.hotkey(DevKeys.NAMES.get(owner), random.nextInt(7));
            }
            signer = asHotkey ? hotkey : coldkey;
            body = plausibleBody(subnet, coldkey, hotkey, asHotkey);
        } else {
            signer = random.nextInt(3) == 0 ? pick(hotkeys) : pick(coldkeys);
            body = randomBody(signer);
        }
        long nonce = state.nonce(signer.address());
        if (hostile == 1) {
            nonce += random.nextInt(3) - 1 == 0 ? 2 : -1;
        }
        SignedTransaction tx = SignedTransaction.sign(signer, nonce, body);
        if (hostile == 2) {
            Keypair other = pick(coldkeys);
            tx = new SignedTransaction(signer.address(), nonce, body, other.sign(new byte[] {1, 2, 3}));
        }
        history.add(tx);
        if (history.size() > 500) {
            history.remove(0);
        }
        return tx;
    }

    private Transaction plausibleBody(Subnet subnet, Keypair coldkey, Keypair hotkey, boolean asHotkey) {
        int netuid = subnet.netuid();
        if (asHotkey) {
            int n = Math.max(1, subnet.size());
            int[] uids = {random.nextInt(n), random.nextInt(n), random.nextInt(n)};
            if (uids[1] == uids[0]) {
                uids = new int[] {uids[0]};
            }
            int[] values = new int[uids.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = 1 + random.nextInt(65_535);
            }
            if (random.nextInt(5) == 0) {
                values[0] = 70_000; // not a u16
            }
            return switch (random.nextInt(4)) {
                case 0 -> new Transaction.ServeAxon(netuid, "127.0.0.1:" + (40_000 + random.nextInt(1000)));
                case 1 -> new Transaction.SetWeights(netuid, uids, values, 0);
                case 2 -> new Transaction.CommitWeights(netuid, WeightCommitment.hash(hotkey.address(), netuid, uids, values,
                        new byte[] {1}, 0));
                default -> new Transaction.RevealWeights(netuid, uids, values, new byte[] {1}, 0);
            };
        }
        return switch (random.nextInt(7)) {
            case 0 -> new Transaction.RegisterNeuron(netuid, hotkey.address(), 0);
            case 5 -> new Transaction.PaySubnet(netuid, random.nextLong(1, 5 * TAO));
            case 1 -> new Transaction.AddStake(hotkey.address(), netuid, random.nextLong(1, 50 * TAO), 0);
            case 2 -> {
                long held = subnet.stakes().containsKey(hotkey.address())
                        ? subnet.stakes().get(hotkey.address()).valueOf(coldkey.address()) : 0;
                yield new Transaction.RemoveStake(hotkey.address(), netuid, Math.max(1, held / (1 + random.nextInt(3))), 0);
            }
            case 3 -> new Transaction.Transfer(pick(coldkeys).address(), random.nextLong(1, 20 * TAO));
            case 4 -> subnet.started() || subnet.isRoot() ? new Transaction.CreateSubnet(hotkey.address())
                    : new Transaction.StartSubnet(netuid);
            default -> new Transaction.SetValidatorTake(hotkey.address(), random.nextInt(11_797));
        };
    }

    private Transaction randomBody(Keypair signer) {
        int netuid = random.nextInt(6);
        Address hotkey = pick(hotkeys).address();
        switch (random.nextInt(14)) {
            case 0:
                return new Transaction.Transfer(pick(coldkeys).address(), amount());
            case 1:
                return new Transaction.CreateSubnet(hotkey);
            case 2:
                return new Transaction.StartSubnet(netuid);
            case 3:
            case 4:
                return new Transaction.RegisterNeuron(netuid, hotkey, random.nextInt(4) == 0 ? 1 : 0);
            case 5:
                return new Transaction.ServeAxon(netuid, random.nextBoolean() ? "127.0.0.1:" + random.nextInt(65536) : " bad");
            case 6:
                return new Transaction.AddStake(hotkey, netuid, amount(), random.nextInt(5) == 0 ? 1 : 0);
            case 7:
                return new Transaction.RemoveStake(hotkey, netuid, amount() / 10, random.nextInt(5) == 0 ? Long.MAX_VALUE : 0);
            case 8: {
                int[][] w = weights();
                return new Transaction.SetWeights(netuid, w[0], w[1], 0);
            }
            case 9: {
                int[][] w = weights();
                byte[] salt = {(byte) random.nextInt(4)};
                return new Transaction.CommitWeights(netuid, WeightCommitment.hash(signer.address(), netuid, w[0], w[1], salt, 0));
            }
            case 10: {
                int[][] w = weights();
                return new Transaction.RevealWeights(netuid, w[0], w[1], new byte[] {(byte) random.nextInt(4)}, 0);
            }
            case 11: {
                String[] names = {"tempo", "kappa", "immunity_period", "max_allowed_uids", "alpha_low", "nonsense",
                    "commit_reveal", "weights_rate_limit"};
                String name = names[random.nextInt(names.length)];
                long value = name.equals("commit_reveal") ? random.nextInt(2) : random.nextInt(3) == 0 ? -1 : random.nextInt(200);
                return new Transaction.SetHyperparameter(netuid, name, value);
            }
            case 12:
                return new Transaction.PaySubnet(netuid, random.nextInt(5) == 0 ? -amount() : amount());
            default:
                return new Transaction.SetValidatorTake(hotkey, random.nextInt(20_000) - 100);
        }
    }

    /** Amounts from the absurd to the plausible. */
    private long amount() {
        switch (random.nextInt(8)) {
            case 0:
                return 0;
            case 1:
                return -random.nextLong(TAO);
            case 2:
                return Long.MAX_VALUE;
            case 3:
                return random.nextLong(1000);
            default:
                return random.nextLong(1, 500 * TAO);
        }
    }

    private int[][] weights() {
        int len = random.nextInt(6);
        int[] uids = new int[len];
        int[] values = new int[random.nextInt(10) == 0 ? len + 1 : len];
        for (int i = 0; i < len; i++) {
            uids[i] = random.nextInt(10) == 0 ? -random.nextInt(5) : random.nextInt(30);
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(10) == 0 ? 70_000 : random.nextInt(65_536);
        }
        return new int[][] {uids, values};
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
