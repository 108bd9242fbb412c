package io.cortex.sharding;

import static java.util.Map.entry;

import io.cortex.protocol.serialization.KryoRegistrar;
import io.cortex.sharding.ops.MinerStats;
import io.cortex.sharding.ops.MinerStatsService;
import java.util.Map;

/** The node's own cluster messages: the dashboard's questions to the other nodes. */
public final class ShardingKryoRegistrar implements KryoRegistrar {
    /** Ids never change: a new class takes the next free id of this module's range, 500 to 599. */
    @Override
    public Map<Integer, Class<?>> classes() {
        return Map.ofEntries(
                entry(500, MinerStatsService.Ask.class),
                entry(501, MinerStats.Report.class));
    }
}
