package io.cortex.ledger.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.util.List;

/**
 * A devnet ledger for tests: alice owns subnet 1 (owner hotkey alice/0), started; bob holds hotkeys
 * bob/0..3 on it, bob/0 staked as a validator. Every block is checked for conservation.
 */
final class LedgerFixture {
    static final Keypair ALICE = DevKeys.coldkey("alice");
    static final Keypair BOB = DevKeys.coldkey("bob");
    static final Keypair CHARLIE = DevKeys.coldkey("charlie");
    static final Keypair OWNER_HOTKEY = DevKeys.hotkey("alice", 0);

    final LedgerState state;

    LedgerFixture(LedgerConfig config) {
        this.state = LedgerState.genesis(config);
    }

    /** Genesis plus subnet 1 with neurons; {@code commitReveal} decides how its weights are set. */
    static LedgerFixture withSubnet(boolean commitReveal) {
        LedgerConfig devnet = LedgerConfig.devnet();
        LedgerFixture f = new LedgerFixture(devnet.withSubnetDefaults(
                devnet.subnetDefaults().with("commit_reveal", commitReveal ? 1 : 0)));
        f.ok(ALICE, new Transaction.CreateSubnet(OWNER_HOTKEY.address()));
        f.ok(ALICE, new Transaction.StartSubnet(1));
        for (int i = 0; i < 4; i++) {
            f.ok(BOB, new Transaction.RegisterNeuron(1, bobHotkey(i).address(), 0));
        }
        f.ok(BOB, new Transaction.AddStake(bobHotkey(0).address(), 1, Rao.tao(50), 0));
        f.untilEpoch(1); // the first epoch hands out validator permits
        return f;
    }

    static Keypair bobHotkey(int i) {
        return DevKeys.hotkey("bob", i);
    }

    Subnet subnet() {
        return state.subnet(1);
    }

    SignedTransaction signed(Keypair signer, Transaction body) {
        return SignedTransaction.sign(signer, state.nonce(signer.address()), body);
    }

    /** Applies one block holding the transaction; returns its receipt. */
    Receipt submit(SignedTransaction tx) {
        return block(List.of(tx)).receipts().get(0);
    }

    Receipt submit(Keypair signer, Transaction body) {
        return submit(signed(signer, body));
    }

    void ok(Keypair signer, Transaction body) {
        Receipt r = submit(signer, body);
        if (!r.accepted()) {
            throw new AssertionError("expected " + body + " to be accepted: " + ((Receipt.Rejected) r).message());
        }
    }

    BlockResult block(List<SignedTransaction> txs) {
        BlockResult r = state.apply(new Block(state.height() + 1, 0, txs));
        assertEquals(List.of(), Conservation.violations(state), "conservation after block " + state.height());
        return r;
    }

    void blocks(int count) {
        for (int i = 0; i < count; i++) {
            block(List.of());
        }
    }

    /** Empty blocks until subnet 1 has run {@code epochs} epochs. */
    void untilEpoch(long epochs) {
        while (subnet().epochIndex() < epochs) {
            block(List.of());
        }
    }
}
