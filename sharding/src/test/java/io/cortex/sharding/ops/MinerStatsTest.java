package io.cortex.sharding.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.protocol.aeron.Status;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' views of a subnet's miners, merged as the dashboard shows them: per miner the sums and the
 * larger maximum, for the subnet the percentiles of both nodes' round trips together.
 */
class MinerStatsTest {

    @Test
    void twoNodesReportsMergePerMinerAndTheirRoundTripsTogether() throws Exception {
        Address a = Keypair.generate().address();
        Address b = Keypair.generate().address();
        MinerStats first = new MinerStats();
        MinerStats second = new MinerStats();
        for (int i = 1; i <= 100; i++) {
            first.ended(1, a, Status.OK, TimeUnit.MILLISECONDS.toNanos(i)); // 1 .. 100 ms
        }
        first.ended(1, a, Status.TIMEOUT, TimeUnit.MILLISECONDS.toNanos(800));
        second.ended(1, a, Status.OK, TimeUnit.MILLISECONDS.toNanos(300));
        second.ended(1, b, Status.RATE_LIMITED, 0);
        second.ended(2, b, Status.OK, TimeUnit.MILLISECONDS.toNanos(5)); // another subnet: not in subnet 1's view

        JsonNode view = new ObjectMapper().readTree(DashboardData.queries(1,
                List.of(first.report("n1", 1), second.report("n2", 1))));

        assertEquals(List.of("n1", "n2"), List.of(view.path("nodes").get(0).asText(), view.path("nodes").get(1).asText()));
        JsonNode subnet = view.path("subnet");
        assertEquals(103, subnet.path("queries").asLong());
        assertEquals(101, subnet.path("answered").asLong());
        assertEquals(1, subnet.path("timedOut").asLong());
        assertEquals(1, subnet.path("refused").asLong());
        assertEquals(51, subnet.path("p50Ms").asDouble(), 1, "the median of 1..100 and 300 ms");
        assertEquals(100, subnet.path("p99Ms").asDouble(), 1);
        assertEquals(300, subnet.path("maxMs").asDouble(), 3);
        for (JsonNode m : view.path("miners")) {
            if (m.path("hotkey").asText().equals(a.toString())) {
                assertEquals(102, m.path("queries").asLong());
                assertEquals(101, m.path("answered").asLong());
                assertEquals(1, m.path("timedOut").asLong());
                assertEquals((5050 + 300) / 101.0, m.path("meanMs").asDouble(), 0.01);
                assertEquals(300, m.path("maxMs").asDouble(), 0.001);
            } else {
                assertEquals(b.toString(), m.path("hotkey").asText());
                assertEquals(1, m.path("queries").asLong());
                assertEquals(1, m.path("refused").asLong());
                assertEquals(0, m.path("answered").asLong());
            }
        }
        assertEquals(2, view.path("miners").size());
        assertEquals(0, new ObjectMapper().readTree(DashboardData.queries(3, List.of(first.report("n1", 3))))
                .path("subnet").path("queries").asLong(), "a subnet nobody queried");
    }
}
