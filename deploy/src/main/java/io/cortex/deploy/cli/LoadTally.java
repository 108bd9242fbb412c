package io.cortex.deploy.cli;

import io.cortex.deploy.cli.LoadtestCommand.Target;
import io.cortex.deploy.cli.LoadtestReport.MinerTally;
import io.cortex.protocol.api.BlockEvent;
import io.cortex.protocol.api.MinerAnswer;
import io.cortex.protocol.api.QueryReply;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What a step counts as it goes: the queries' outcomes and latencies, each subnet's and miner's, and the ledger's blocks. */
final class LoadTally {
    final Recorder latency = new Recorder(3);
    final Histogram total = new Histogram(3);
    final Recorder service = new Recorder(3);
    // each miner's round trip as the node's dendrite measured it, by who runs the miner
    final Histogram hostedMiners = new Histogram(3);
    final Histogram ownKeyMiners = new Histogram(3);
    final Map<Integer, MinerTally> byUid = new ConcurrentHashMap<>();
    final Map<Integer, LoadCurve.SubnetTally> bySubnet = new ConcurrentHashMap<>();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong unanswered = new AtomicLong();
    final AtomicLong rounds = new AtomicLong();
    final AtomicLong minerAnswers = new AtomicLong();
    final AtomicLong minerOk = new AtomicLong();
    final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    final Histogram blockGaps = new Histogram(3_600_000L, 3);
    final AtomicLong blocks = new AtomicLong();
    final AtomicLong lastBlockMillis = new AtomicLong();
    final java.util.Set<String> ownKeys;

    LoadTally(java.util.Set<String> ownKeys) {
        this.ownKeys = ownKeys;
    }

    /** A miner's key in {@code byUid}: its netuid and uid in one int (a uid is below 65,536). */
    static int minerKey(int netuid, int uid) {
        return netuid << 16 | uid;
    }

    static int netuidOf(int minerKey) {
        return minerKey >>> 16;
    }

    static int uidOf(int minerKey) {
        return minerKey & 0xFFFF;
    }

    void block(BlockEvent b) {
        long previous = lastBlockMillis.getAndSet(b.getTimestampMs());
        if (previous > 0) {
            synchronized (blockGaps) {
                blockGaps.recordValue(Math.max(0, Math.min(3_600_000L, b.getTimestampMs() - previous)));
            }
            blocks.incrementAndGet();
        }
    }

    /** A reply: answered when a miner answered in time; a reply of timeouts and errors is a failure. */
    void replied(Target t, QueryReply reply, long due, long sentAt) {
        long end = System.nanoTime();
        boolean answered = false;
        for (MinerAnswer a : reply.getAnswersList()) {
            minerAnswers.incrementAndGet();
            byUid.computeIfAbsent(minerKey(t.netuid(), a.getUid()), k -> new MinerTally()).record(a.getStatus(), a.getLatencyUs());
            if (a.getStatus() == 200) {
                answered = true;
                minerOk.incrementAndGet();
                Histogram h = ownKeys.contains(a.getHotkey()) ? ownKeyMiners : hostedMiners;
                synchronized (h) {
                    h.recordValue(Math.max(1, a.getLatencyUs()));
                }
            }
        }
        long response = Math.max(1, (end - due) / 1000);
        subnet(t.netuid()).ended(answered, response);
        if (answered) {
            latency.recordValue(response);
            service.recordValue(Math.max(1, (end - sentAt) / 1000));
            ok.incrementAndGet();
        } else {
            unanswered.incrementAndGet();
        }
    }

    void failed(Target t, Throwable failure) {
        subnet(t.netuid()).ended(false, 0);
        errors.computeIfAbsent(kind(failure), k -> new AtomicLong()).incrementAndGet();
    }

    LoadCurve.SubnetTally subnet(int netuid) {
        return bySubnet.computeIfAbsent(netuid, n -> new LoadCurve.SubnetTally());
    }

    /** The latencies since the last call, added to the step's. */
    Histogram interval() {
        Histogram interval = latency.getIntervalHistogram();
        synchronized (total) {
            total.add(interval);
        }
        return interval;
    }

    private static String kind(Throwable failure) {
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return t instanceof StatusRuntimeException s ? s.getStatus().getCode().name() : t.getClass().getSimpleName();
    }
}
