package io.cortex.ledger.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.fixed.I32F32;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.DevKeys;
import org.junit.jupiter.api.Test;

/** Registration burn dynamics (yuma.md section 8) and the epoch schedule (section 3). */
class BurnAndScheduleTest {

    @Test
    void theDecayFactorHalvesTheBurnOverItsHalfLife() {
        for (long halfLife : new long[] {1, 7, 100, 360, 7200}) {
            long f = Registration.decayFactor(halfLife);
            assertTrue(Registration.power(f, halfLife) <= I32F32.HALF);
            assertTrue(Registration.power(f + 1, halfLife) > I32F32.HALF, "the largest such factor, half-life " + halfLife);
        }
        long burn = 1_000_000_000L;
        long f = Registration.decayFactor(360);
        for (int i = 0; i < 360; i++) {
            burn = I32F32.mul(burn, f);
        }
        assertTrue(Math.abs(burn - 500_000_000L) < 500_000, "one TAO halves in 360 blocks: " + burn);
    }

    @Test
    void eachRegistrationRaisesTheBurnBy126PercentWithinItsBounds() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        f.ok(LedgerFixture.ALICE, new Transaction.SetHyperparameter(1, "burn_half_life", 1_000_000));
        long before = f.subnet().burn();
        // a block decays the burn first (negligibly with this half-life), then three registrations raise it
        java.util.List<io.cortex.ledger.tx.SignedTransaction> txs = new java.util.ArrayList<>();
        long nonce = f.state.nonce(LedgerFixture.CHARLIE.address());
        for (int i = 0; i < 3; i++) {
            txs.add(io.cortex.ledger.tx.SignedTransaction.sign(LedgerFixture.CHARLIE, nonce + i,
                    new Transaction.RegisterNeuron(1, DevKeys.hotkey("charlie", 10 + i).address(), 0)));
        }
        f.block(txs);
        long decayed = I32F32.mul(before, Registration.decayFactor(1_000_000));
        long expected = decayed;
        for (int i = 0; i < 3; i++) {
            expected = Registration.clampBurn(f.subnet(), Rao.mulDiv(expected, 1260, 1000));
        }
        assertEquals(expected, f.subnet().burn());

        f.ok(LedgerFixture.ALICE, new Transaction.SetHyperparameter(1, "max_burn", expected));
        f.ok(LedgerFixture.CHARLIE, new Transaction.RegisterNeuron(1, DevKeys.hotkey("charlie", 20).address(), 0));
        assertEquals(expected, f.subnet().burn(), "clamped to max_burn");
    }

    @Test
    void theBurnNeverDecaysBelowItsMinimum() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        f.ok(LedgerFixture.ALICE, new Transaction.SetHyperparameter(1, "burn_half_life", 1));
        assertTrue(f.subnet().burn() > f.subnet().hyperparameters().minBurn(), "the burn starts above its minimum");
        f.blocks(80);
        assertEquals(f.subnet().hyperparameters().minBurn(), f.subnet().burn());
    }

    @Test
    void epochsRunEveryTempoBlocksStaggeredByNetuid() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        Subnet subnet = f.subnet();
        long start = subnet.lastEpochBlock();
        int tempo = subnet.hyperparameters().tempo();
        long epochs = subnet.epochIndex();
        f.blocks(3 * tempo);
        assertEquals(epochs + 3, subnet.epochIndex());
        assertEquals(start + 3L * tempo, subnet.lastEpochBlock());
        assertEquals(subnet.lastEpochBlock(), subnet.lastMechanismStepBlock());
    }

    @Test
    void atMostTwoEpochsRunInOneBlockTheRestWaitABlock() {
        LedgerFixture f = new LedgerFixture(LedgerConfig.devnet());
        String[] owners = {"alice", "bob", "charlie"};
        for (String o : owners) {
            f.ok(DevKeys.coldkey(o), new Transaction.CreateSubnet(DevKeys.hotkey(o, 0).address()));
        }
        for (int netuid = 1; netuid <= 3; netuid++) {
            f.ok(f.state.subnet(netuid).ownerColdkey().equals(DevKeys.coldkey("alice").address()) ? DevKeys.coldkey("alice")
                    : f.state.subnet(netuid).ownerColdkey().equals(DevKeys.coldkey("bob").address()) ? DevKeys.coldkey("bob")
                    : DevKeys.coldkey("charlie"), new Transaction.SetHyperparameter(netuid, "tempo", 50));
        }
        // line the three clocks up, then watch one block
        for (int netuid = 1; netuid <= 3; netuid++) {
            f.state.subnet(netuid).epochRan(f.state.height()); // as if each ran an epoch in this block
        }
        f.blocks(49);
        BlockResult due = f.block(java.util.List.of());
        assertEquals(2, due.epochs().size());
        BlockResult next = f.block(java.util.List.of());
        assertEquals(1, next.epochs().size());
        assertEquals(3, next.epochs().get(0).netuid());
    }

    @Test
    void subnetsCreatedOneABlockFallDueInDifferentBlocks() {
        // netuids are given out in creation order, so subnet n opening at block n is the usual case
        int tempo = 8;
        LedgerConfig devnet = LedgerConfig.devnet();
        LedgerFixture f = new LedgerFixture(devnet.withSubnetDefaults(devnet.subnetDefaults().with("tempo", tempo))
                .withLockReductionInterval(1).withMaxEpochsPerBlock(tempo));
        String[] owners = {"alice", "bob", "charlie"};
        for (int netuid = 1; netuid <= tempo; netuid++) {
            String owner = owners[netuid % owners.length];
            f.ok(DevKeys.coldkey(owner), new Transaction.CreateSubnet(DevKeys.hotkey(owner, netuid).address()));
            Subnet opened = f.state.subnet(netuid);
            assertTrue(f.state.height() - opened.lastEpochBlock() < tempo, "the first epoch comes within a tempo");
            assertEquals(0, Math.floorMod(opened.lastEpochBlock() + netuid, tempo), "netuid " + netuid + "'s phase");
        }
        java.util.Set<Integer> ran = new java.util.TreeSet<>();
        for (int b = 0; b < 2 * tempo; b++) {
            BlockResult r = f.block(java.util.List.of());
            assertTrue(r.epochs().size() <= 1, "block " + f.state.height() + " ran " + r.epochs().size() + " epochs");
            r.epochs().forEach(e -> ran.add(e.netuid()));
        }
        assertEquals(tempo, ran.size(), "every subnet ran its epoch: " + ran);
    }
}
