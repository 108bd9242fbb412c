package io.cortex.ledger.state;

import static io.cortex.ledger.state.LedgerFixture.ALICE;
import static io.cortex.ledger.state.LedgerFixture.BOB;
import static io.cortex.ledger.state.LedgerFixture.CHARLIE;
import static io.cortex.ledger.state.LedgerFixture.OWNER_HOTKEY;
import static io.cortex.ledger.state.LedgerFixture.bobHotkey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.pool.WeightedPool;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.WeightCommitment;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every transaction type, accepted and refused for each of its reasons. A refused transaction changes
 * nothing: the state after its block equals the state after an empty block from the same start.
 */
class TransactionRulesTest {
    private static final Set<RejectReason> COVERED = EnumSet.noneOf(RejectReason.class);

    /** Submits and asserts the rejection reason and that the state is as after an empty block. */
    private static Receipt.Rejected rejects(LedgerFixture f, RejectReason reason, SignedTransaction tx) {
        LedgerState twin = f.state.snapshot();
        twin.apply(new Block(twin.height() + 1, 0, List.of()));

        Receipt receipt = f.submit(tx);

        assertFalse(receipt.accepted(), () -> "expected " + reason + " for " + tx.body());
        Receipt.Rejected rejected = (Receipt.Rejected) receipt;
        assertEquals(reason, rejected.reason(), rejected.message());
        assertArrayEquals(twin.stateHash(), f.state.stateHash(), "a rejected transaction changed the state");
        COVERED.add(reason);
        return rejected;
    }

    private static Receipt.Rejected rejects(LedgerFixture f, RejectReason reason, Keypair signer, Transaction body) {
        return rejects(f, reason, f.signed(signer, body));
    }

    @AfterAll
    static void everyRejectReasonIsExercised() {
        Set<RejectReason> missing = EnumSet.allOf(RejectReason.class);
        missing.removeAll(COVERED);
        assertEquals(Set.of(), missing, "reject reasons without a test");
    }

    // ----------------------------------------------------------------------------- signatures and nonces

    @Test
    void aForgedOrTamperedSignatureIsRefused() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        Transaction pay = new Transaction.Transfer(CHARLIE.address(), Rao.tao(1));
        SignedTransaction byBob = SignedTransaction.sign(BOB, f.state.nonce(ALICE.address()), pay);
        SignedTransaction forged = new SignedTransaction(ALICE.address(), byBob.nonce(), pay, byBob.signature());
        rejects(f, RejectReason.BAD_SIGNATURE, forged);

        SignedTransaction good = f.signed(ALICE, pay);
        SignedTransaction tampered = new SignedTransaction(ALICE.address(), good.nonce(),
                new Transaction.Transfer(CHARLIE.address(), Rao.tao(1000)), good.signature());
        rejects(f, RejectReason.BAD_SIGNATURE, tampered);
    }

    @Test
    void onlyTheNextNonceIsAcceptedAndAReplayIsRefused() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        Transaction pay = new Transaction.Transfer(CHARLIE.address(), Rao.tao(1));
        long next = f.state.nonce(ALICE.address());
        rejects(f, RejectReason.WRONG_NONCE, SignedTransaction.sign(ALICE, next + 1, pay));

        SignedTransaction tx = SignedTransaction.sign(ALICE, next, pay);
        assertTrue(f.submit(tx).accepted());
        assertEquals(next + 1, f.state.nonce(ALICE.address()));
        rejects(f, RejectReason.WRONG_NONCE, tx);
    }

    @Test
    void devKeysAreRefusedOutsideDevMode() {
        LedgerFixture f = new LedgerFixture(LedgerConfig.devnet().withDevMode(false));
        rejects(f, RejectReason.DEV_KEY_REFUSED, ALICE, new Transaction.Transfer(BOB.address(), 1));
        Keypair stranger = Keypair.generate();
        Receipt r = f.submit(stranger, new Transaction.Transfer(BOB.address(), 1));
        assertEquals(RejectReason.INSUFFICIENT_BALANCE, ((Receipt.Rejected) r).reason(), "a normal key gets past the check");
    }

    // ----------------------------------------------------------------------------- transfer

    @Test
    void aTransferMovesExactlyTheAmount() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        long alice = f.state.balance(ALICE.address());
        long charlie = f.state.balance(CHARLIE.address());

        f.ok(ALICE, new Transaction.Transfer(CHARLIE.address(), 123_456_789L));

        assertEquals(alice - 123_456_789L, f.state.balance(ALICE.address()));
        assertEquals(charlie + 123_456_789L, f.state.balance(CHARLIE.address()));
    }

    @Test
    void transfersOfNothingOrMoreThanTheBalanceAreRefused() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        rejects(f, RejectReason.INVALID_AMOUNT, ALICE, new Transaction.Transfer(CHARLIE.address(), 0));
        rejects(f, RejectReason.INVALID_AMOUNT, ALICE, new Transaction.Transfer(CHARLIE.address(), -5));
        rejects(f, RejectReason.INSUFFICIENT_BALANCE, ALICE, new Transaction.Transfer(CHARLIE.address(), Long.MAX_VALUE));
    }

    // ----------------------------------------------------------------------------- subnets

    @Test
    void creatingASubnetLocksTheCostInItsPoolAndTheNextCostsTwice() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        long cost = f.state.lockCost();
        long before = f.state.balance(CHARLIE.address());
        Keypair hotkey = DevKeys.hotkey("charlie", 0);

        f.ok(CHARLIE, new Transaction.CreateSubnet(hotkey.address()));

        Subnet created = f.state.subnet(2);
        assertEquals(before - cost, f.state.balance(CHARLIE.address()));
        assertEquals(cost, created.taoReserve());
        assertEquals(0, created.uidOf(hotkey.address()), "the owner hotkey takes uid 0");
        assertEquals(CHARLIE.address(), f.state.ownerOf(hotkey.address()));
        long interval = f.state.config().lockReductionInterval();
        assertEquals(2 * cost - Rao.mulDiv(cost, 1, interval), f.state.lockCost(), "twice the last lock, decaying from here");
        f.blocks(10);
        assertEquals(2 * cost - Rao.mulDiv(cost, 11, interval), f.state.lockCost());
    }

    @Test
    void subnetCreationRefusals() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        Keypair poor = Keypair.generate();
        f.ok(ALICE, new Transaction.Transfer(poor.address(), Rao.tao(1)));
        rejects(f, RejectReason.INSUFFICIENT_BALANCE, poor, new Transaction.CreateSubnet(poor.address()));
        rejects(f, RejectReason.HOTKEY_OWNED_ELSEWHERE, CHARLIE, new Transaction.CreateSubnet(bobHotkey(1).address()));
    }

    @Test
    void onlyTheOwnerStartsASubnetAndOnlyOnce() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        f.ok(CHARLIE, new Transaction.CreateSubnet(DevKeys.hotkey("charlie", 0).address()));
        rejects(f, RejectReason.NOT_OWNER, BOB, new Transaction.StartSubnet(2));
        rejects(f, RejectReason.UNKNOWN_SUBNET, CHARLIE, new Transaction.StartSubnet(9));
        rejects(f, RejectReason.UNKNOWN_SUBNET, CHARLIE, new Transaction.StartSubnet(0));

        f.ok(CHARLIE, new Transaction.StartSubnet(2));

        assertTrue(f.state.subnet(2).started());
        rejects(f, RejectReason.SUBNET_ALREADY_STARTED, CHARLIE, new Transaction.StartSubnet(2));
    }

    // ----------------------------------------------------------------------------- registration

    @Test
    void registeringBurnsThePriceAndRaisesIt() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        // the block first decays the burn, then the registration pays it and raises it by 1.26
        long burn = Registration.clampBurn(f.subnet(), io.cortex.ledger.fixed.I32F32.mul(f.subnet().burn(),
                Registration.decayFactor(f.subnet().hyperparameters().burnHalfLife())));
        long balance = f.state.balance(CHARLIE.address());
        long alphaBurned = f.subnet().alphaBurned();
        Keypair hotkey = DevKeys.hotkey("charlie", 5);

        f.ok(CHARLIE, new Transaction.RegisterNeuron(1, hotkey.address(), burn));

        assertEquals(balance - burn, f.state.balance(CHARLIE.address()));
        assertTrue(f.subnet().uidOf(hotkey.address()) > 0);
        assertTrue(f.subnet().alphaBurned() > alphaBurned, "the alpha the burn bought is destroyed");
        assertEquals(Registration.clampBurn(f.subnet(), Rao.mulDiv(burn, 1260, 1000)), f.subnet().burn());
    }

    @Test
    void registrationRefusals() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        rejects(f, RejectReason.ALREADY_REGISTERED, BOB, new Transaction.RegisterNeuron(1, bobHotkey(1).address(), 0));
        f.ok(CHARLIE, new Transaction.CreateSubnet(DevKeys.hotkey("charlie", 0).address()));
        rejects(f, RejectReason.HOTKEY_OWNED_ELSEWHERE, CHARLIE, new Transaction.RegisterNeuron(2, OWNER_HOTKEY.address(), 0));
        rejects(f, RejectReason.BURN_ABOVE_LIMIT, CHARLIE, new Transaction.RegisterNeuron(1,
                DevKeys.hotkey("charlie", 1).address(), 1));
        rejects(f, RejectReason.UNKNOWN_SUBNET, CHARLIE, new Transaction.RegisterNeuron(7,
                DevKeys.hotkey("charlie", 1).address(), 0));
        Keypair poor = Keypair.generate();
        f.ok(ALICE, new Transaction.Transfer(poor.address(), 1));
        rejects(f, RejectReason.INSUFFICIENT_BALANCE, poor, new Transaction.RegisterNeuron(1, poor.address(), 0));
        f.ok(ALICE, new Transaction.SetHyperparameter(1, "registration_allowed", 0));
        rejects(f, RejectReason.REGISTRATION_CLOSED, CHARLIE, new Transaction.RegisterNeuron(1,
                DevKeys.hotkey("charlie", 1).address(), 0));
    }

    @Test
    void aFullSubnetReplacesItsLowestEmissionNonImmuneUid() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        f.ok(ALICE, new Transaction.SetHyperparameter(1, "immunity_period", 0));
        f.ok(ALICE, new Transaction.SetHyperparameter(1, "max_allowed_uids", 5));
        Subnet subnet = f.subnet();
        int lowest = 1;
        for (int uid = 1; uid < subnet.size(); uid++) {
            if (subnet.emission(uid) < subnet.emission(lowest)
                    || subnet.emission(uid) == subnet.emission(lowest) && subnet.registeredAt(uid) < subnet.registeredAt(lowest)) {
                lowest = uid;
            }
        }
        Keypair newcomer = DevKeys.hotkey("charlie", 9);

        f.ok(CHARLIE, new Transaction.RegisterNeuron(1, newcomer.address(), 0));

        assertEquals(5, subnet.size());
        assertEquals(lowest, subnet.uidOf(newcomer.address()));
        assertEquals(0, subnet.emission(lowest), "the slot's outputs are zeroed");
        assertEquals(0, subnet.weightUids(lowest).length, "the slot's weights are cleared");
    }

    @Test
    void aSubnetWithOnlyItsOwnerLeftHasNoSlot() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        f.ok(CHARLIE, new Transaction.CreateSubnet(DevKeys.hotkey("charlie", 0).address()));
        f.ok(ALICE, new Transaction.SetHyperparameter(2, "max_allowed_uids", 1));
        rejects(f, RejectReason.NO_SLOT, BOB, new Transaction.RegisterNeuron(2, bobHotkey(7).address(), 0));
    }

    // ----------------------------------------------------------------------------- axon

    @Test
    void aRegisteredHotkeyServesItsAxon() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        f.ok(bobHotkey(2), new Transaction.ServeAxon(1, "aeron:udp?endpoint=127.0.0.1:40123"));
        assertEquals("aeron:udp?endpoint=127.0.0.1:40123", f.subnet().axon(f.subnet().uidOf(bobHotkey(2).address())));

        rejects(f, RejectReason.INVALID_ENDPOINT, bobHotkey(2), new Transaction.ServeAxon(1, "has spaces in it"));
        rejects(f, RejectReason.INVALID_ENDPOINT, bobHotkey(2), new Transaction.ServeAxon(1, ""));
        rejects(f, RejectReason.UNKNOWN_HOTKEY, DevKeys.hotkey("charlie", 3), new Transaction.ServeAxon(1, "127.0.0.1:1"));
    }

    // ----------------------------------------------------------------------------- staking

    @Test
    void stakingSwapsThroughThePoolAndPaysTheFeeToTheAuthor() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        Subnet subnet = f.subnet();
        long amount = Rao.tao(10);
        long fee = WeightedPool.fee(amount, subnet.hyperparameters().swapFee());
        long expectedAlpha = WeightedPool.alphaOut(subnet.taoReserve(), subnet.alphaReserve(), subnet.taoWeight(), amount - fee);
        long alice = f.state.balance(ALICE.address());
        long charlie = f.state.balance(CHARLIE.address());

        f.ok(CHARLIE, new Transaction.AddStake(bobHotkey(0).address(), 1, amount, 0));

        assertEquals(charlie - amount, f.state.balance(CHARLIE.address()));
        assertEquals(alice + fee, f.state.balance(ALICE.address()), "alice is the block author");
        long staked = subnet.stakes().get(bobHotkey(0).address()).valueOf(CHARLIE.address());
        assertTrue(Math.abs(staked - expectedAlpha) <= 1, staked + " vs " + expectedAlpha);

        long tao = WeightedPool.taoOut(subnet.taoReserve(), subnet.alphaReserve(), subnet.taoWeight(), staked);
        long back = tao - WeightedPool.fee(tao, subnet.hyperparameters().swapFee());
        f.ok(CHARLIE, new Transaction.RemoveStake(bobHotkey(0).address(), 1, staked, 0));

        assertEquals(charlie - amount + back, f.state.balance(CHARLIE.address()));
        assertEquals(0, subnet.stakes().get(bobHotkey(0).address()).valueOf(CHARLIE.address()));
    }

    @Test
    void payingASubnetBuysItsAlphaBurnsItAndCountsAsDemand() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        Subnet subnet = f.subnet();
        long amount = Rao.tao(3);
        long bought = WeightedPool.alphaOut(subnet.taoReserve(), subnet.alphaReserve(), subnet.taoWeight(), amount);
        long tao = subnet.taoReserve();
        long burned = subnet.alphaBurned();
        long alice = f.state.balance(ALICE.address());
        long charlie = f.state.balance(CHARLIE.address());
        double price = subnet.price();

        f.ok(CHARLIE, new Transaction.PaySubnet(1, amount));

        assertEquals(charlie - amount, f.state.balance(CHARLIE.address()));
        assertEquals(alice, f.state.balance(ALICE.address()), "no swap fee: nothing to the author");
        assertTrue(subnet.taoReserve() >= tao + amount, "the payment is in the pool");
        assertEquals(burned + bought, subnet.alphaBurned(), "the alpha it bought is burned");
        assertTrue(subnet.price() > price, "buying alpha raises its price");
        assertTrue(subnet.demand() > 0, "and it counts as demand");

        rejects(f, RejectReason.INVALID_AMOUNT, CHARLIE, new Transaction.PaySubnet(1, 0));
        rejects(f, RejectReason.INSUFFICIENT_BALANCE, CHARLIE, new Transaction.PaySubnet(1, Rao.tao(10_000_000)));
        rejects(f, RejectReason.UNKNOWN_SUBNET, CHARLIE, new Transaction.PaySubnet(0, amount));
        rejects(f, RejectReason.UNKNOWN_SUBNET, CHARLIE, new Transaction.PaySubnet(9, amount));
        f.ok(BOB, new Transaction.CreateSubnet(bobHotkey(3).address()));
        rejects(f, RejectReason.SUBNET_NOT_STARTED, CHARLIE, new Transaction.PaySubnet(2, amount));
    }

    @Test
    void rootStakeIsOneToOne() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        long before = f.state.balance(BOB.address());
        f.ok(BOB, new Transaction.AddStake(bobHotkey(0).address(), 0, Rao.tao(7), 0));
        assertEquals(Rao.tao(7), f.state.subnet(0).stakeOf(bobHotkey(0).address()));
        f.ok(BOB, new Transaction.RemoveStake(bobHotkey(0).address(), 0, Rao.tao(7), 0));
        assertEquals(before, f.state.balance(BOB.address()));
    }

    @Test
    void stakingRefusals() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        Keypair validator = bobHotkey(0);
        rejects(f, RejectReason.INVALID_AMOUNT, CHARLIE, new Transaction.AddStake(validator.address(), 1, 0, 0));
        rejects(f, RejectReason.INSUFFICIENT_BALANCE, CHARLIE, new Transaction.AddStake(validator.address(), 1,
                Long.MAX_VALUE / 2, 0));
        rejects(f, RejectReason.UNKNOWN_SUBNET, CHARLIE, new Transaction.AddStake(validator.address(), 5, 1000, 0));
        rejects(f, RejectReason.UNKNOWN_HOTKEY, CHARLIE, new Transaction.AddStake(Keypair.generate().address(), 1, 1000, 0));
        long price = WeightedPool.priceRao(f.subnet().taoReserve(), f.subnet().alphaReserve(), f.subnet().taoWeight());
        rejects(f, RejectReason.PRICE_LIMIT_EXCEEDED, CHARLIE, new Transaction.AddStake(validator.address(), 1,
                Rao.tao(100), price));
        rejects(f, RejectReason.POOL_LIMIT, ALICE, new Transaction.AddStake(validator.address(), 1,
                f.subnet().taoReserve() * 1001 + 1_000_000_000L, 0));
        f.ok(CHARLIE, new Transaction.CreateSubnet(DevKeys.hotkey("charlie", 0).address()));
        rejects(f, RejectReason.SUBNET_NOT_STARTED, CHARLIE, new Transaction.AddStake(DevKeys.hotkey("charlie", 0).address(),
                2, Rao.tao(1), 0));

        long held = f.subnet().stakes().get(validator.address()).valueOf(BOB.address());
        rejects(f, RejectReason.INVALID_AMOUNT, BOB, new Transaction.RemoveStake(validator.address(), 1, -1, 0));
        rejects(f, RejectReason.INSUFFICIENT_STAKE, BOB, new Transaction.RemoveStake(validator.address(), 1, held + 1, 0));
        rejects(f, RejectReason.INSUFFICIENT_STAKE, CHARLIE, new Transaction.RemoveStake(validator.address(), 1, 1, 0));
        rejects(f, RejectReason.PRICE_LIMIT_EXCEEDED, BOB, new Transaction.RemoveStake(validator.address(), 1, held / 2,
                Long.MAX_VALUE));
    }

    @Test
    void aPoolRefusesAnUnstakeItCannotPay() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        Subnet subnet = f.subnet();
        // two large stakes leave almost no alpha in the pool: selling it all back is over 1000 x the reserve
        f.ok(ALICE, new Transaction.AddStake(bobHotkey(0).address(), 1, Rao.tao(150_000), 0));
        f.ok(ALICE, new Transaction.AddStake(bobHotkey(0).address(), 1, Rao.tao(800_000), 0));
        long held = subnet.stakes().get(bobHotkey(0).address()).valueOf(ALICE.address());
        assertTrue(held / WeightedPool.MAX_INPUT_RATIO > subnet.alphaReserve());

        rejects(f, RejectReason.POOL_LIMIT, ALICE, new Transaction.RemoveStake(bobHotkey(0).address(), 1, held, 0));
    }

    // ----------------------------------------------------------------------------- weights

    @Test
    void weightsAreStoredMaxUpscaledAndSortedByUid() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        Keypair validator = bobHotkey(0);
        assertTrue(f.subnet().validatorPermit(f.subnet().uidOf(validator.address())));

        f.ok(validator, new Transaction.SetWeights(1, new int[] {4, 2, 3}, new int[] {30, 10, 20}, 0));

        int uid = f.subnet().uidOf(validator.address());
        assertArrayEquals(new int[] {2, 3, 4}, f.subnet().weightUids(uid));
        assertArrayEquals(new int[] {21845, 43690, 65535}, f.subnet().weightValues(uid));
        assertEquals(f.state.height(), f.subnet().lastUpdate(uid));
    }

    @Test
    void weightRefusals() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        Keypair validator = bobHotkey(0);
        Keypair miner = bobHotkey(2);
        rejects(f, RejectReason.WEIGHTS_INVALID, validator, new Transaction.SetWeights(1, new int[] {2, 2}, new int[] {1, 1}, 0));
        rejects(f, RejectReason.WEIGHTS_INVALID, validator, new Transaction.SetWeights(1, new int[] {99}, new int[] {1}, 0));
        rejects(f, RejectReason.WEIGHTS_INVALID, validator, new Transaction.SetWeights(1, new int[] {2, 3}, new int[] {1}, 0));
        rejects(f, RejectReason.WEIGHTS_INVALID, validator, new Transaction.SetWeights(1, new int[] {2}, new int[] {70_000}, 0));
        rejects(f, RejectReason.NO_VALIDATOR_PERMIT, miner, new Transaction.SetWeights(1, new int[] {2}, new int[] {1}, 0));
        rejects(f, RejectReason.UNKNOWN_HOTKEY, DevKeys.hotkey("charlie", 2), new Transaction.SetWeights(1, new int[] {2},
                new int[] {1}, 0));
        f.ok(ALICE, new Transaction.SetHyperparameter(1, "min_allowed_weights", 3));
        rejects(f, RejectReason.WEIGHTS_INVALID, validator, new Transaction.SetWeights(1, new int[] {2}, new int[] {1}, 0));
        f.ok(ALICE, new Transaction.SetHyperparameter(1, "min_allowed_weights", 1));
        f.ok(ALICE, new Transaction.SetHyperparameter(1, "weights_version_key", 5));
        rejects(f, RejectReason.WEIGHTS_INVALID, validator, new Transaction.SetWeights(1, new int[] {2}, new int[] {1}, 4));
        f.ok(ALICE, new Transaction.SetHyperparameter(1, "weights_version_key", 0));

        f.ok(validator, new Transaction.SetWeights(1, new int[] {2}, new int[] {1}, 0));
        rejects(f, RejectReason.RATE_LIMITED, validator, new Transaction.SetWeights(1, new int[] {3}, new int[] {1}, 0));

        f.ok(ALICE, new Transaction.SetHyperparameter(1, "stake_threshold", Rao.tao(1_000_000)));
        f.blocks(10);
        rejects(f, RejectReason.STAKE_BELOW_THRESHOLD, validator, new Transaction.SetWeights(1, new int[] {3},
                new int[] {1}, 0));
        rejects(f, RejectReason.COMMIT_REVEAL_OFF, validator, new Transaction.CommitWeights(1, new byte[32]));
    }

    @Test
    void commitThenRevealInTheNextEpochOnly() {
        LedgerFixture f = LedgerFixture.withSubnet(true);
        Keypair validator = bobHotkey(0);
        int[] uids = {2, 3};
        int[] values = {1, 3};
        byte[] salt = {1, 2, 3};
        rejects(f, RejectReason.COMMIT_REVEAL_ON, validator, new Transaction.SetWeights(1, uids, values, 0));
        byte[] hash = WeightCommitment.hash(validator.address(), 1, uids, values, salt, 0);

        f.ok(validator, new Transaction.CommitWeights(1, hash));

        assertEquals(1, f.subnet().commits(validator.address()).size());
        Transaction reveal = new Transaction.RevealWeights(1, uids, values, salt, 0);
        rejects(f, RejectReason.REVEAL_TOO_EARLY, validator, reveal);
        rejects(f, RejectReason.NO_COMMIT, validator, new Transaction.RevealWeights(1, uids, values, new byte[] {9}, 0));
        f.untilEpoch(f.subnet().commits(validator.address()).get(0).epoch() + 1);

        f.ok(validator, reveal);

        int uid = f.subnet().uidOf(validator.address());
        assertArrayEquals(uids, f.subnet().weightUids(uid));
        assertArrayEquals(new int[] {21845, 65535}, f.subnet().weightValues(uid));
        assertEquals(0, f.subnet().commits(validator.address()).size());
    }

    @Test
    void anUnrevealedCommitIsDroppedOnceItsWindowHasPassed() {
        LedgerFixture f = LedgerFixture.withSubnet(true);
        Keypair validator = bobHotkey(0);
        int[] uids = {2};
        int[] values = {1};
        byte[] salt = {4};
        f.ok(validator, new Transaction.CommitWeights(1, WeightCommitment.hash(validator.address(), 1, uids, values, salt, 0)));
        long epoch = f.subnet().commits(validator.address()).get(0).epoch();

        f.untilEpoch(epoch + 2);

        assertEquals(0, f.subnet().commits(validator.address()).size());
        rejects(f, RejectReason.NO_COMMIT, validator, new Transaction.RevealWeights(1, uids, values, salt, 0));
    }

    @Test
    void aRevealAfterItsWindowIsExpiredWhileTheCommitIsStillHeld() {
        LedgerFixture f = LedgerFixture.withSubnet(true);
        f.ok(ALICE, new Transaction.SetHyperparameter(1, "reveal_period", 1));
        Keypair validator = bobHotkey(0);
        int[] uids = {2};
        int[] values = {1};
        byte[] salt = {6};
        byte[] hash = WeightCommitment.hash(validator.address(), 1, uids, values, salt, 0);
        f.ok(validator, new Transaction.CommitWeights(1, hash));
        long epoch = f.subnet().commits(validator.address()).get(0).epoch();
        // a longer reveal period keeps the commit alive while the window check still says expired
        f.ok(ALICE, new Transaction.SetHyperparameter(1, "reveal_period", 3));
        f.untilEpoch(epoch + 2);
        f.ok(ALICE, new Transaction.SetHyperparameter(1, "reveal_period", 1));

        rejects(f, RejectReason.REVEAL_EXPIRED, validator, new Transaction.RevealWeights(1, uids, values, salt, 0));
    }

    @Test
    void aHotkeyHoldsAtMostTenUnrevealedCommits() {
        LedgerFixture f = LedgerFixture.withSubnet(true);
        f.ok(ALICE, new Transaction.SetHyperparameter(1, "weights_rate_limit", 0));
        Keypair validator = bobHotkey(0);
        for (int i = 0; i < 10; i++) {
            f.ok(validator, new Transaction.CommitWeights(1, WeightCommitment.hash(validator.address(), 1, new int[] {2},
                    new int[] {i}, new byte[] {1}, 0)));
        }
        rejects(f, RejectReason.TOO_MANY_COMMITS, validator, new Transaction.CommitWeights(1, new byte[32]));
    }

    // ----------------------------------------------------------------------------- hyper-parameters, take

    @Test
    void hyperparametersByOwnerAndRoot() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        f.ok(CHARLIE, new Transaction.CreateSubnet(DevKeys.hotkey("charlie", 0).address()));

        f.ok(CHARLIE, new Transaction.SetHyperparameter(2, "tempo", 33));
        assertEquals(33, f.state.subnet(2).hyperparameters().tempo());
        rejects(f, RejectReason.NOT_OWNER, BOB, new Transaction.SetHyperparameter(2, "tempo", 34));
        rejects(f, RejectReason.NOT_ROOT, CHARLIE, new Transaction.SetHyperparameter(2, "kappa", 40_000));
        rejects(f, RejectReason.NOT_ROOT, CHARLIE, new Transaction.SetHyperparameter(2, "bonds_moving_average", 980_000));
        f.ok(ALICE, new Transaction.SetHyperparameter(2, "kappa", 40_000)); // alice is root on a devnet
        assertEquals(40_000, f.state.subnet(2).hyperparameters().kappa());
        rejects(f, RejectReason.UNKNOWN_HYPERPARAMETER, CHARLIE, new Transaction.SetHyperparameter(2, "tmepo", 3));
        rejects(f, RejectReason.HYPERPARAMETER_OUT_OF_RANGE, CHARLIE, new Transaction.SetHyperparameter(2, "tempo", 0));
        rejects(f, RejectReason.HYPERPARAMETER_OUT_OF_RANGE, CHARLIE, new Transaction.SetHyperparameter(2, "alpha_low", 65_000));
        rejects(f, RejectReason.UNKNOWN_SUBNET, CHARLIE, new Transaction.SetHyperparameter(0, "tempo", 3));
    }

    @Test
    void theHotkeyOwnerSetsTheValidatorTake() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        f.ok(BOB, new Transaction.SetValidatorTake(bobHotkey(0).address(), 1000));
        assertEquals(1000, f.state.validatorTake(bobHotkey(0).address()));

        rejects(f, RejectReason.NOT_OWNER, CHARLIE, new Transaction.SetValidatorTake(bobHotkey(0).address(), 0));
        rejects(f, RejectReason.TAKE_OUT_OF_RANGE, BOB, new Transaction.SetValidatorTake(bobHotkey(0).address(), 20_000));
        rejects(f, RejectReason.UNKNOWN_HOTKEY, BOB, new Transaction.SetValidatorTake(Keypair.generate().address(), 0));
    }
}
