package io.cortex.subnets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every built-in subnet's sample queries (what {@code cortex loadtest} sends) parse, and its miners answer them. */
class SampleQueriesTest {

    @Test
    void sampleQueriesAreQueriesTheSubnetAnswers() {
        assertTrue(SubnetMechanisms.all().keySet().containsAll(java.util.List.of("compute", "text-predict", "price-forecast")));
        for (SubnetMechanism m : SubnetMechanisms.all().values()) {
            SplittableRandom random = new SplittableRandom(9);
            for (int i = 0; i < 200; i++) {
                String query = m.sampleQuery(random);
                assertNotNull(query, m.name());
                SubnetMechanism.Task task = m.parseQuery(query);
                byte[] answer = m.miner(1.0).answer(task.payload(), random).payload();
                assertFalse(m.formatAnswer(answer).isEmpty(), m.name() + ": " + query);
            }
        }
    }
}
