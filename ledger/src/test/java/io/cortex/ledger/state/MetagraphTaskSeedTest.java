package io.cortex.ledger.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.DevKeys;
import org.junit.jupiter.api.Test;

/** The seed a subnet's validators draw an epoch's round tasks from ({@link Metagraph#taskSeed()}). */
class MetagraphTaskSeedTest {

    @Test
    void theSeedIsTheSameThroughAnEpochAndNewOnceTheNextEpochHasPaid() {
        LedgerFixture f = LedgerFixture.withSubnet(false);
        f.ok(LedgerFixture.bobHotkey(0), new Transaction.SetWeights(1, new int[] {2, 3}, new int[] {65_535, 30_000}, 0));
        f.untilEpoch(f.subnet().epochIndex() + 1);
        Metagraph paid = Metagraph.of(f.state, 1);
        assertTrue(paid.neurons().stream().anyMatch(n -> n.incentive() > 0), "the epoch paid the miners");

        // a neuron registered during the epoch has been paid nothing: the validators that read the metagraph
        // before it and after it draw the same tasks
        f.ok(LedgerFixture.CHARLIE, new Transaction.RegisterNeuron(1, DevKeys.hotkey("charlie", 0).address(), 0));
        Metagraph later = Metagraph.of(f.state, 1);
        assertEquals(paid.neurons().size() + 1, later.neurons().size());
        assertEquals(paid.taskSeed(), later.taskSeed());

        f.untilEpoch(f.subnet().epochIndex() + 1);
        Metagraph next = Metagraph.of(f.state, 1);
        assertEquals(paid.epochIndex() + 1, next.epochIndex());
        assertNotEquals(paid.taskSeed(), next.taskSeed(), "each epoch its own tasks");
    }
}
