package io.cortex.ledger.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.sim.LedgerSimulation;
import io.cortex.ledger.state.Block;
import io.cortex.ledger.state.BlockResult;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.yuma.EpochJson;
import io.cortex.ledger.yuma.YumaEpoch;
import io.cortex.core.identity.DevKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Headers chain by hash, transactions are committed by their root, and every recorded epoch re-runs. */
class AuditTrailTest {

    @Test
    void headersChainAndCommitTheStateAndTransactions() {
        LedgerState s = LedgerState.genesis(LedgerConfig.devnet());
        SignedTransaction pay = SignedTransaction.sign(DevKeys.coldkey("alice"), 0,
                new Transaction.Transfer(DevKeys.coldkey("bob").address(), 5));

        BlockResult first = s.apply(new Block(1, 1000, List.of(pay)));
        BlockResult second = s.apply(new Block(2, 2000, List.of()));

        assertArrayEquals(new byte[32], first.header().previousHash());
        assertArrayEquals(first.header().hash(), second.header().previousHash());
        assertArrayEquals(BlockHeader.merkleRoot(List.of(pay.hash())), first.header().transactionsRoot());
        assertFalse(Arrays.equals(first.header().transactionsRoot(), second.header().transactionsRoot()));
        assertArrayEquals(s.stateHash(), second.header().stateHash());
        assertArrayEquals(second.header().hash(), s.lastBlockHash());
    }

    @Test
    void theStateHashSeesEveryChange() {
        LedgerState s = LedgerState.genesis(LedgerConfig.devnet());
        s.apply(new Block(1, 0, List.of()));
        byte[] before = s.stateHash();
        LedgerState twin = s.snapshot();
        assertArrayEquals(before, twin.stateHash(), "a snapshot hashes the same");

        s.apply(new Block(2, 0, List.of(SignedTransaction.sign(DevKeys.coldkey("alice"), 0,
                new Transaction.Transfer(DevKeys.coldkey("bob").address(), 1)))));
        twin.apply(new Block(2, 0, List.of()));

        assertFalse(Arrays.equals(s.stateHash(), twin.stateHash()), "one rao moved changes the hash");
    }

    @Test
    void everyRecordedEpochReRunsToItsOutputFromItsJson() {
        List<EpochRecord> records = new ArrayList<>();
        new LedgerSimulation(new LedgerSimulation.Settings(100, 2, 12, 3)).run(records::add);

        assertTrue(records.size() >= 8, "epochs recorded: " + records.size());
        for (EpochRecord r : records) {
            byte[] json = EpochJson.inputBytes(r.input());
            assertArrayEquals(Canonical.sha256(json), r.inputHash(), "the hash is of the input's JSON");
            assertEquals(r.output(), YumaEpoch.run(EpochJson.readInput(json)), "epoch " + r.epochIndex() + " re-runs");
        }
    }
}
