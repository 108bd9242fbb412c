package io.cortex.protocol.aeron;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicLong;

/** What the axon counted: what got in, what was refused and why. */
public final class AxonCounters {
    private final NamedCounters named = new NamedCounters();
    /** Whole frames read; each ends in exactly one of the outcomes below (fragments dropped alone count only there). */
    public final AtomicLong received = named.add("received");
    public final AtomicLong sessionsOpened = named.add("sessions_opened");
    public final AtomicLong served = named.add("served");
    /** Bad or missing signature or MAC, stale timestamp, caller not admitted, body not matching its hash. */
    public final AtomicLong unauthorized = named.add("unauthorized");
    /** A HELLO whose nonce this caller already used with this miner. */
    public final AtomicLong replayed = named.add("replayed");
    /** A HELLO past its caller's budget of sessions per miner (429). */
    public final AtomicLong rateLimited = named.add("rate_limited");
    /** A HELLO naming a reply channel that is not an announced axon at the host it came from. */
    public final AtomicLong refusedChannel = named.add("refused_channel");
    public final AtomicLong tooLarge = named.add("too_large");
    public final AtomicLong overloaded = named.add("overloaded");
    public final AtomicLong noSuchMiner = named.add("no_such_miner");
    public final AtomicLong expired = named.add("expired");
    public final AtomicLong dropped = named.add("dropped");
    /** Requests handed to a miner's handler: an outcome, not shown by name. */
    public final AtomicLong handlerInvocations = new AtomicLong();
    // not outcomes of a frame:
    public final AtomicLong sendFailures = named.add("send_failures");
    /** Sessions replaced by a bound (the caller is told); never the whole table. */
    public final AtomicLong sessionsEvicted = named.add("sessions_evicted");
    /** Reply channels closed to make room for another (their sessions end with them). */
    public final AtomicLong channelsRecycled = named.add("channels_recycled");
    /** Refusals of a HELLO answered (signed) on its reply channel; the rest are only counted. */
    public final AtomicLong refusalsAnswered = named.add("refusals_answered");
    /** Aeron SETUP frames dropped before the driver allocated for them (oversized term or MTU, unknown stream). */
    public final AtomicLong setupsRefused;

    AxonCounters(AtomicLong setupsRefused) {
        this.setupsRefused = named.add("setups_refused", setupsRefused);
    }

    public AxonCounters() {
        this(new AtomicLong());
    }

    /** Netuids below this are counted apart by {@link #refusedOn}; the others together, as netuid -1. */
    static final int SUBNETS_COUNTED = 1024;
    /** By netuid, the last slot for the rest: no boxing, no allocation on the refusal path. */
    private final AtomicLongArray refusedBySubnet = new AtomicLongArray(SUBNETS_COUNTED + 1);

    /**
     * A HELLO or REQUEST on subnet {@code netuid} (as the frame names it) refused with a status: a HELLO past the
     * reply-channel check, a REQUEST past its session's MAC. (A HELLO refused for its signature counts too; the
     * netuid it names only picks the slot.)
     */
    void refusedOn(int netuid) {
        refusedBySubnet.incrementAndGet(slot(netuid));
    }

    /** The frames refused with a status naming subnet {@code netuid} (-1: every netuid from 1024 on). */
    public long refused(int netuid) {
        return refusedBySubnet.get(slot(netuid));
    }

    private static int slot(int netuid) {
        return netuid >= 0 && netuid < SUBNETS_COUNTED ? netuid : SUBNETS_COUNTED;
    }

    /** The frames refused with a status, by the netuid they name, for the subnets with any (-1: from 1024 on). */
    public Map<Integer, Long> refusedBySubnet() {
        Map<Integer, Long> values = new TreeMap<>();
        for (int slot = 0; slot <= SUBNETS_COUNTED; slot++) {
            long count = refusedBySubnet.get(slot);
            if (count > 0) {
                values.put(slot == SUBNETS_COUNTED ? -1 : slot, count);
            }
        }
        return values;
    }

    /** Frames that came to an end: opened a session, reached the model, or were refused or dropped. */
    public long outcomes() {
        return sessionsOpened.get() + handlerInvocations.get() + unauthorized.get() + replayed.get() + rateLimited.get()
                + refusedChannel.get() + tooLarge.get() + overloaded.get() + noSuchMiner.get() + expired.get()
                + dropped.get();
    }

    /** Every counter by name, for the node's status. */
    public Map<String, Long> snapshot() {
        return named.snapshot();
    }

    @Override
    public String toString() {
        return "received=" + received + " sessions=" + sessionsOpened + " served=" + served + " 401=" + unauthorized
                + " replayed=" + replayed + " 429=" + rateLimited + " channel=" + refusedChannel + " 413=" + tooLarge
                + " 503=" + overloaded + " 404=" + noSuchMiner + " 408=" + expired + " dropped=" + dropped
                + " evicted=" + sessionsEvicted + " setups=" + setupsRefused;
    }
}
