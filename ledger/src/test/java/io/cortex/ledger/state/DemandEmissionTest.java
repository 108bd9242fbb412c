package io.cortex.ledger.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.emission.BlockEmission;
import io.cortex.ledger.emission.EmissionPolicy;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code demand} policy on a real ledger: a subnet's TAO emission is what its users paid per block, never
 * more, nothing for a subnet nobody pays, and the block's emission split by payments once they exceed it.
 */
class DemandEmissionTest {
    private static final Keypair ALICE = DevKeys.coldkey("alice");
    private static final Keypair BOB = DevKeys.coldkey("bob");
    private static final Keypair USER = DevKeys.coldkey("charlie");
    /** Blocks for the demand average to halve: short, so that a test sees it settle. */
    private static final long HALF_LIFE = 4;

    /** Two started subnets under the demand policy, the lock decayed so both cost the minimum. */
    private static LedgerFixture twoSubnets() {
        LedgerConfig devnet = LedgerConfig.devnet();
        LedgerFixture f = new LedgerFixture(devnet.withEmissionPolicy(EmissionPolicy.named("demand"))
                .withLockReductionInterval(1).withFlowHalfLife(HALF_LIFE));
        f.ok(ALICE, new Transaction.CreateSubnet(DevKeys.hotkey("alice", 0).address()));
        f.ok(BOB, new Transaction.CreateSubnet(DevKeys.hotkey("bob", 0).address()));
        f.ok(ALICE, new Transaction.StartSubnet(1));
        f.ok(BOB, new Transaction.StartSubnet(2));
        return f;
    }

    /** One block in which the user pays each subnet these amounts (0: nothing); returns the TAO each got. */
    private static long[] payAndEmit(LedgerFixture f, long toFirst, long toSecond) {
        long nonce = f.state.nonce(USER.address());
        List<io.cortex.ledger.tx.SignedTransaction> txs = new java.util.ArrayList<>();
        if (toFirst > 0) {
            txs.add(io.cortex.ledger.tx.SignedTransaction.sign(USER, nonce++, new Transaction.PaySubnet(1, toFirst)));
        }
        if (toSecond > 0) {
            txs.add(io.cortex.ledger.tx.SignedTransaction.sign(USER, nonce, new Transaction.PaySubnet(2, toSecond)));
        }
        BlockResult r = f.block(txs);
        r.receipts().forEach(receipt -> assertTrue(receipt.accepted(), receipt.toString()));
        return new long[] {r.taoIn().getOrDefault(1, 0L), r.taoIn().getOrDefault(2, 0L)};
    }

    @Test
    void aSubnetGetsWhatItsUsersPaidAndOneNobodyPaysGetsNothing() {
        LedgerFixture f = twoSubnets();
        long emission = BlockEmission.of(f.state.totalIssuance());
        long paid = emission / 5;
        long[] got = null;
        for (int block = 0; block < 30; block++) {
            got = payAndEmit(f, paid, 0);
            assertEquals(0, got[1], "nobody pays subnet 2, block " + block);
            assertTrue(got[0] <= paid + 1, "at most what was paid: " + got[0] + " of " + paid);
        }
        assertTrue(got[0] >= paid * 0.9, "a steady payment comes back as emission: " + got[0] + " of " + paid);
        long recycled = f.state.recycledTao();
        payAndEmit(f, 0, 0);
        assertTrue(f.state.recycledTao() - recycled >= emission - paid - 1, "what payments leave is recycled");
    }

    @Test
    void oneLumpPaysOutAtMostItselfSpreadOverTheBlocksAfterIt() {
        LedgerFixture f = twoSubnets();
        long lump = 3 * BlockEmission.of(f.state.totalIssuance()) / 10;
        long got = payAndEmit(f, lump, 0)[0];
        for (int block = 0; block < 40 * HALF_LIFE; block++) {
            got += payAndEmit(f, 0, 0)[0];
        }
        assertTrue(got <= lump, "a payment comes back at most once: " + got + " of " + lump);
        assertTrue(got >= lump * 0.99, "and, given time, all of it: " + got + " of " + lump);
    }

    @Test
    void paymentsBeyondTheEmissionSplitItInProportion() {
        LedgerFixture f = twoSubnets();
        long emission = BlockEmission.of(f.state.totalIssuance());
        long[] got = null;
        for (int block = 0; block < 30; block++) {
            got = payAndEmit(f, 2 * emission, emission);
        }
        double first = (double) got[0] / emission;
        double second = (double) got[1] / emission;
        assertEquals(2.0 / 3, first, 0.02, "twice the payments, twice the share");
        assertEquals(1.0 / 3, second, 0.02);
        assertFalse(f.state.subnet(1).demand() <= f.state.subnet(2).demand());
    }
}
