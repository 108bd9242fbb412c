package io.cortex.sharding.neurons;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Places shards so that each subnet's neurons spread evenly over the nodes, whatever the other subnets do:
 * a neuron's shard is {@code netuid/k} (one of its subnet's shards), and a new shard goes to the node that holds the
 * fewest shards of the same subnet (ties: the fewest shards in all, then the lowest address, so every
 * coordinator decides alike). Rebalancing moves one shard per subnet and round from the node with the most of
 * that subnet to the node with the fewest while they differ by two or more: after a node joins or one is
 * lost, each subnet's competition again runs on every node.
 *
 * <p>Shards whose id holds no {@code /} (the subnet coordinators) form a group of their own.
 */
public final class SpreadBySubnet extends ShardCoordinator.AbstractShardAllocationStrategy {

    /** The group a shard belongs to: the netuid of a neuron's shard, "" for the subnet coordinators. */
    static String group(String shardId) {
        int slash = shardId.indexOf('/');
        return slash < 0 ? "" : shardId.substring(0, slash);
    }

    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
                                          Map<ActorRef, IndexedSeq<String>> currentShardAllocations) {
        Map<ActorRef, List<String>> allocations = toJava(currentShardAllocations);
        if (allocations.isEmpty()) {
            return Futures.successful(requester);
        }
        String group = group(shardId);
        ActorRef best = allocations.keySet().stream()
                .min(Comparator.<ActorRef>comparingLong(r -> countInGroup(allocations.get(r), group))
                        .thenComparingInt(r -> allocations.get(r).size())
                        .thenComparing(r -> r.path().toString()))
                .orElse(requester);
        return Futures.successful(best);
    }

    @Override
    public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> currentShardAllocations,
                                         Set<String> rebalanceInProgress) {
        Map<ActorRef, List<String>> allocations = toJava(currentShardAllocations);
        Set<String> moves = new HashSet<>();
        if (allocations.size() < 2 || !rebalanceInProgress.isEmpty()) {
            return Futures.successful(moves);
        }
        Set<String> groups = new HashSet<>();
        allocations.values().forEach(shards -> shards.forEach(s -> groups.add(group(s))));
        for (String group : groups) {
            Map<ActorRef, List<String>> inGroup = new HashMap<>();
            allocations.forEach((region, shards) -> inGroup.put(region,
                    shards.stream().filter(s -> group(s).equals(group)).sorted().toList()));
            List<String> most = inGroup.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
            int fewest = inGroup.values().stream().mapToInt(List::size).min().orElseThrow();
            if (most.size() - fewest >= 2) {
                moves.add(most.get(most.size() - 1));
            }
        }
        return Futures.successful(moves);
    }

    private static long countInGroup(List<String> shards, String group) {
        return shards.stream().filter(s -> group(s).equals(group)).count();
    }

    private static Map<ActorRef, List<String>> toJava(Map<ActorRef, IndexedSeq<String>> allocations) {
        Map<ActorRef, List<String>> result = new HashMap<>();
        allocations.forEach((region, shards) -> result.put(region, new ArrayList<>(CollectionConverters.asJava(shards))));
        return result;
    }
}
