package io.cortex.protocol.aeron;

import java.util.concurrent.atomic.AtomicLong;

/** What the axon counted: what got in, what was refused and why. */
public final class AxonCounters {
    /** Whole frames read; each ends in exactly one of the outcomes below (fragments dropped alone count only there). */
    public final AtomicLong received = new AtomicLong();
    public final AtomicLong sessionsOpened = new AtomicLong();
    public final AtomicLong served = new AtomicLong();
    /** Bad or missing signature or MAC, stale timestamp, caller not admitted, body not matching its hash. */
    public final AtomicLong unauthorized = new AtomicLong();
    /** A HELLO whose nonce this caller already used with this miner. */
    public final AtomicLong replayed = new AtomicLong();
    /** A HELLO past its caller's budget of sessions per miner (429). */
    public final AtomicLong rateLimited = new AtomicLong();
    /** A HELLO naming a reply channel that is not an announced axon at the host it came from. */
    public final AtomicLong refusedChannel = new AtomicLong();
    public final AtomicLong tooLarge = new AtomicLong();
    public final AtomicLong overloaded = new AtomicLong();
    public final AtomicLong noSuchMiner = new AtomicLong();
    public final AtomicLong expired = new AtomicLong();
    public final AtomicLong dropped = new AtomicLong();
    public final AtomicLong handlerInvocations = new AtomicLong();
    // not outcomes of a frame:
    public final AtomicLong sendFailures = new AtomicLong();
    /** Sessions replaced by a bound (the caller is told); never the whole table. */
    public final AtomicLong sessionsEvicted = new AtomicLong();
    /** Reply channels closed to make room for another (their sessions end with them). */
    public final AtomicLong channelsRecycled = new AtomicLong();
    /** Refusals of a HELLO answered (signed) on its reply channel; the rest are only counted. */
    public final AtomicLong refusalsAnswered = new AtomicLong();
    /** Aeron SETUP frames dropped before the driver allocated for them (oversized term or MTU, unknown stream). */
    public final AtomicLong setupsRefused;

    AxonCounters(AtomicLong setupsRefused) {
        this.setupsRefused = setupsRefused;
    }

    public AxonCounters() {
        this(new AtomicLong());
    }

    /** Frames that came to an end: opened a session, reached the model, or were refused or dropped. */
    public long outcomes() {
        return sessionsOpened.get() + handlerInvocations.get() + unauthorized.get() + replayed.get() + rateLimited.get()
                + refusedChannel.get() + tooLarge.get() + overloaded.get() + noSuchMiner.get() + expired.get()
                + dropped.get();
    }

    /** Every counter by name, for the node's status. */
    public java.util.Map<String, Long> snapshot() {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("received", received.get());
        m.put("sessions_opened", sessionsOpened.get());
        m.put("served", served.get());
        m.put("unauthorized", unauthorized.get());
        m.put("replayed", replayed.get());
        m.put("rate_limited", rateLimited.get());
        m.put("refused_channel", refusedChannel.get());
        m.put("too_large", tooLarge.get());
        m.put("overloaded", overloaded.get());
        m.put("no_such_miner", noSuchMiner.get());
        m.put("expired", expired.get());
        m.put("dropped", dropped.get());
        m.put("send_failures", sendFailures.get());
        m.put("sessions_evicted", sessionsEvicted.get());
        m.put("channels_recycled", channelsRecycled.get());
        m.put("refusals_answered", refusalsAnswered.get());
        m.put("setups_refused", setupsRefused.get());
        return m;
    }

    @Override
    public String toString() {
        return "received=" + received + " sessions=" + sessionsOpened + " served=" + served + " 401=" + unauthorized
                + " replayed=" + replayed + " 429=" + rateLimited + " channel=" + refusedChannel + " 413=" + tooLarge
                + " 503=" + overloaded + " 404=" + noSuchMiner + " 408=" + expired + " dropped=" + dropped
                + " evicted=" + sessionsEvicted + " setups=" + setupsRefused;
    }
}
