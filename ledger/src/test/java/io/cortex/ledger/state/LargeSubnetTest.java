package io.cortex.ledger.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A subnet of 32,768 uids on the real ledger, the size Bittensor's mean consensus was added for: every uid
 * registered by a signed transaction, four validators staked and setting weights on every uid, and an
 * epoch under {@code mean_consensus} that pays them. (The epoch alone, against numpy, is timed by
 * {@code bench/run-large-epoch-bench.sh}.)
 */
class LargeSubnetTest {
    private static final int UIDS = 32_768;
    private static final int VALIDATORS = 4;

    @Test
    void aSubnetOf32768UidsRunsAnEpochUnderMeanConsensus() {
        LedgerConfig devnet = LedgerConfig.devnet();
        SubnetHyperparameters hyper = devnet.subnetDefaults().with("max_allowed_uids", UIDS)
                .with("mean_consensus", 1).with("commit_reveal", 0).with("weights_rate_limit", 0)
                .with("min_burn", 1_000).with("max_burn", 1_000).with("immunity_period", 1_000_000)
                .with("tempo", 40);
        LedgerFixture f = new LedgerFixture(devnet.withSubnetDefaults(hyper));
        Keypair alice = DevKeys.coldkey("alice");
        f.ok(alice, new Transaction.CreateSubnet(DevKeys.hotkey("alice", 0).address()));
        f.ok(alice, new Transaction.StartSubnet(1));

        Keypair[] payers = {DevKeys.coldkey("bob"), DevKeys.coldkey("charlie"), DevKeys.coldkey("dave"),
            DevKeys.coldkey("eve")};
        List<Keypair> validators = new ArrayList<>();
        for (int v = 0; v < VALIDATORS; v++) {
            validators.add(Keypair.fromSeed(ByteBuffer.allocate(32).putInt(0x1A26E).putInt(v).array()));
        }
        long start = System.nanoTime();
        int registered = 1; // the owner's hotkey
        int block = 0;
        while (registered < UIDS) {
            List<SignedTransaction> txs = new ArrayList<>();
            long[] nonce = new long[payers.length];
            for (int p = 0; p < payers.length; p++) {
                nonce[p] = f.state.nonce(payers[p].address());
            }
            for (int i = 0; i < 4_096 && registered + i < UIDS; i++) {
                int p = (registered + i) % payers.length;
                int n = registered + i - 1;
                // the validators sign weights, so they hold keys; a miner's hotkey is only an address here
                Address hotkey = n < VALIDATORS ? validators.get(n).address()
                        : Address.of(ByteBuffer.allocate(32).putInt(0x1A26F).putInt(n).array());
                txs.add(SignedTransaction.sign(payers[p], nonce[p]++, new Transaction.RegisterNeuron(1, hotkey, 0)));
            }
            BlockResult r = f.block(txs);
            r.receipts().forEach(receipt -> assertTrue(receipt.accepted(), receipt.toString()));
            registered += txs.size();
            block++;
        }
        Subnet subnet = f.subnet();
        assertEquals(UIDS, subnet.size());
        double registering = (System.nanoTime() - start) / 1e9;

        for (Keypair v : validators) {
            f.ok(payers[0], new Transaction.AddStake(v.address(), 1, Rao.tao(1_000), 0));
        }
        long epochs = subnet.epochIndex();
        f.untilEpoch(epochs + 1); // permits for the staked
        SplittableRandom random = new SplittableRandom(7);
        int[] uids = new int[UIDS];
        for (int uid = 0; uid < UIDS; uid++) {
            uids[uid] = uid;
        }
        List<SignedTransaction> weights = new ArrayList<>();
        for (Keypair v : validators) {
            int[] values = new int[UIDS];
            for (int uid = 0; uid < UIDS; uid++) {
                values[uid] = 1 + random.nextInt(65_535);
            }
            weights.add(SignedTransaction.sign(v, f.state.nonce(v.address()), new Transaction.SetWeights(1, uids, values, 0)));
        }
        f.block(weights).receipts().forEach(receipt -> assertTrue(receipt.accepted(), receipt.toString()));

        EpochRecord epoch = null;
        long slowest = 0;
        while (epoch == null) {
            long t = System.nanoTime();
            BlockResult r = f.block(List.of());
            slowest = Math.max(slowest, System.nanoTime() - t);
            epoch = r.epochs().stream().filter(e -> e.netuid() == 1).findFirst().orElse(null);
        }
        assertEquals(UIDS, epoch.input().n());
        long paidMiners = 0;
        int incentivised = 0;
        for (int uid = 0; uid < UIDS; uid++) {
            paidMiners += epoch.payout().miner()[uid];
            incentivised += epoch.output().incentive()[uid] > 0 ? 1 : 0;
        }
        // incentive is a u16 proportion: at 32,768 uids a fair share is about 2 of 65,535, so the unluckiest
        // weights round down to 0; most uids are paid
        assertTrue(incentivised > UIDS / 2, "mean consensus pays the weighted uids: " + incentivised);
        assertTrue(paidMiners > 0);
        System.out.printf(java.util.Locale.ROOT, "32,768 uids: registered in %d blocks, %.1f s; the slowest block of "
                + "the epoch's wait (the epoch's own included) %.1f ms; %d uids with incentive%n", block, registering,
                slowest / 1e6, incentivised);
    }
}
