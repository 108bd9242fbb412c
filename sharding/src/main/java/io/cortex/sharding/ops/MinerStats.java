package io.cortex.sharding.ops;

import io.cortex.protocol.aeron.Status;
import io.cortex.core.identity.Address;
import io.cortex.core.message.CortexMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What this node's dendrite saw of each miner since the node started: per subnet and miner hotkey, the
 * queries sent, answered, timed out and otherwise refused, and the answers' round trips (sum and maximum);
 * per subnet, a histogram of the answered round trips. The dashboard merges every node's into one view
 * ({@link MinerStatsService}). Recording a query allocates nothing once its miner has been seen. A miner not
 * queried for {@link #FORGOTTEN_AFTER} is forgotten (a deregistered hotkey), so a report stays the size of
 * the subnet.
 */
public final class MinerStats {
    /** Round trips from 1 µs to 5 minutes, to 2 significant digits. */
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(5);

    public static final long FORGOTTEN_AFTER = TimeUnit.MINUTES.toMillis(10);

    private final Map<Integer, Subnet> subnets = new ConcurrentHashMap<>();

    private static final class Subnet {
        final Map<Address, Miner> miners = new ConcurrentHashMap<>();
        final ConcurrentHistogram answered = new ConcurrentHistogram(1, MAX_MICROS, 2);
    }

    private static final class Miner {
        final LongAdder queries = new LongAdder();
        final LongAdder answered = new LongAdder();
        final LongAdder timedOut = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder roundTripMicros = new LongAdder();
        final AtomicLong maxMicros = new AtomicLong();
        volatile long lastMillis;
    }

    /** A query to {@code miner} of subnet {@code netuid} ended with {@code status} after {@code roundTripNanos}. */
    public void ended(int netuid, Address miner, int status, long roundTripNanos) {
        Subnet subnet = subnets.computeIfAbsent(netuid, n -> new Subnet());
        Miner m = subnet.miners.computeIfAbsent(miner, a -> new Miner());
        m.lastMillis = System.currentTimeMillis();
        m.queries.increment();
        if (status == Status.OK) {
            long micros = Math.max(1, Math.min(MAX_MICROS, roundTripNanos / 1000));
            m.answered.increment();
            m.roundTripMicros.add(micros);
            m.maxMicros.accumulateAndGet(micros, Math::max);
            subnet.answered.recordValue(micros);
        } else if (status == Status.TIMEOUT) {
            m.timedOut.increment();
        } else {
            m.refused.increment();
        }
    }

    /** This node's view of subnet {@code netuid}'s miners, as {@code node} reports it. */
    public Report report(String node, int netuid) {
        Subnet subnet = subnets.get(netuid);
        if (subnet == null) {
            return new Report(node, netuid, new Address[0], new long[0], new long[0], new long[0], new long[0],
                    new long[0], new long[0], new byte[0]);
        }
        long forget = System.currentTimeMillis() - FORGOTTEN_AFTER;
        subnet.miners.values().removeIf(m -> m.lastMillis < forget);
        List<Map.Entry<Address, Miner>> miners = new ArrayList<>(subnet.miners.entrySet());
        int k = miners.size();
        Report r = new Report(node, netuid, new Address[k], new long[k], new long[k], new long[k], new long[k],
                new long[k], new long[k], null);
        for (int i = 0; i < k; i++) {
            Miner m = miners.get(i).getValue();
            r.hotkeys[i] = miners.get(i).getKey();
            r.queries[i] = m.queries.sum();
            r.answered[i] = m.answered.sum();
            r.timedOut[i] = m.timedOut.sum();
            r.refused[i] = m.refused.sum();
            r.roundTripMicros[i] = m.roundTripMicros.sum();
            r.maxMicros[i] = m.maxMicros.get();
        }
        Histogram copy = subnet.answered.copy();
        ByteBuffer buffer = ByteBuffer.allocate(copy.getNeededByteBufferCapacity());
        int length = copy.encodeIntoCompressedByteBuffer(buffer);
        byte[] histogram = new byte[length];
        buffer.flip();
        buffer.get(histogram);
        return new Report(r.node, netuid, r.hotkeys, r.queries, r.answered, r.timedOut, r.refused, r.roundTripMicros,
                r.maxMicros, histogram);
    }

    /**
     * One node's view of a subnet's miners: parallel arrays, one entry a miner its dendrite queried, and the
     * answered round trips in microseconds as a compressed HdrHistogram (empty when it queried none).
     */
    public record Report(String node, int netuid, Address[] hotkeys, long[] queries, long[] answered, long[] timedOut,
                         long[] refused, long[] roundTripMicros, long[] maxMicros, byte[] histogram) implements CortexMessage {
        /** The round-trip histogram, or an empty one. */
        public Histogram roundTrips() {
            if (histogram.length == 0) {
                return new Histogram(1, MAX_MICROS, 2);
            }
            try {
                return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(histogram), 1);
            } catch (java.util.zip.DataFormatException e) {
                throw new IllegalArgumentException("a corrupt round-trip histogram from " + node, e);
            }
        }
    }
}
