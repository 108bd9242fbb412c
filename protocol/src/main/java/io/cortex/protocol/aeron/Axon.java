package io.cortex.protocol.aeron;

import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The inbound side of a node (ARCHITECTURE.md section 5): every miner living on the node registers here
 * with its hotkey and a handler; the axon opens sessions (HELLO), checks each request (session MAC, nonce,
 * freshness, deadline, size) before a handler ever sees it, bounds the work in flight per miner (503) and
 * sends the answer back. Frames over the maximum are answered 413 and never buffered whole; truncated or
 * garbage frames are dropped and counted.
 *
 * <p>Nothing an outsider sends can cut a caller off (issue 14). A HELLO is answered only on a reply channel
 * that is an axon announced on the ledger for its subnet, at the host the HELLO came from, so the axon never
 * sends to an address or port a peer merely names; its nonce is never accepted twice; sessions are bounded
 * per caller and miner, per caller's reply channels and in all, each bound replacing the least recently
 * used session it covers ({@link AxonSessions}); only an authenticated frame is ever answered, and refusals
 * of a HELLO are signed by the miner. Every refusal is counted ({@link Counters}) and logged, rate-limited.
 *
 * <p>Frames are handled on the node's poller thread; a handler must not block it (actors just tell).
 * {@link Responder#respond} may be called from any thread, once.
 */
public final class Axon {
    /** What a miner does with a request: answer through the responder, from any thread, without blocking. */
    @FunctionalInterface
    public interface RequestHandler {
        void onRequest(Request request, Responder responder);
    }

    /** What the ledger says of a miner's subnet: who may query it, and where replies may go. */
    public interface CallerPolicy {
        /** Whether {@code caller} may query miners of {@code netuid}: for a miner, a validator there (else 401). */
        boolean admits(int netuid, Address caller);

        /**
         * Whether {@code channel} is an axon some neuron announced ({@code serve_axon}) on {@code netuid}: a
         * HELLO over UDP may only name such a channel as its reply channel.
         */
        boolean announced(int netuid, String channel);

        /** A fixed policy: these callers, these announced axons (tests and tools). */
        static CallerPolicy of(java.util.Set<Address> callers, java.util.Set<String> axons) {
            java.util.Set<Address> c = java.util.Set.copyOf(callers);
            java.util.Set<String> a = java.util.Set.copyOf(axons);
            return new CallerPolicy() {
                @Override
                public boolean admits(int netuid, Address caller) {
                    return c.contains(caller);
                }

                @Override
                public boolean announced(int netuid, String channel) {
                    return a.contains(channel);
                }
            };
        }
    }

    /** An authenticated request. */
    public record Request(Address caller, Address target, int netuid, long correlationId, byte[] body,
                          long deadlineMillis) {
    }

    /** Sends the one answer to a request. */
    public interface Responder {
        void respond(int status, byte[] body);
    }

    /** What the axon counted: what got in, what was refused and why. */
    public static final class Counters {
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

        Counters(AtomicLong setupsRefused) {
            this.setupsRefused = setupsRefused;
        }

        public Counters() {
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

    private record Target(Address hotkey, Keypair keys, RequestHandler handler, CallerPolicy policy,
                          AtomicInteger inFlight) {
    }

    /** A message being reassembled from Aeron fragments, bounded by the maximum frame. */
    private static final class Partial {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        int length;
        boolean discard;
    }

    /** Distinct reply channels kept open; each holds a log buffer, so they are few and recycled. */
    static final int MAX_REPLY_CHANNELS = 1024;
    /** Signed refusals of HELLOs per second, at most: signing costs the poller, so floods are only counted. */
    static final int REFUSALS_PER_SECOND = 100;
    private static final long PAIR_EXPIRY_MILLIS = 5_000;
    private static final ThreadLocal<ExpandableArrayBuffer> OUT = ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(4096));

    private final Aeron aeron;
    private final QueryTransport.Context context;
    private final List<Subscription> subscriptions;
    private final Map<Address, Target> targets = new ConcurrentHashMap<>();
    private final AxonSessions sessions;
    /** Reply publications by channel and stream, least recently used first, at most {@link #MAX_REPLY_CHANNELS}. */
    private final Map<String, Publication> publications = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Publication> eldest) {
            if (size() <= MAX_REPLY_CHANNELS) {
                return false;
            }
            // closing it ends the callers' reply image, so their dendrites open new sessions
            sessions.removeOnChannel(eldest.getKey());
            eldest.getValue().close();
            counters.channelsRecycled.incrementAndGet();
            return true;
        }
    };
    /** Messages being reassembled, by image (an Aeron session id alone may repeat across senders and streams). */
    private final Long2ObjectHashMap<Partial> partials = new Long2ObjectHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Counters counters;
    private final RefusalLog log;
    private final UnsafeBuffer ackBuffer = new UnsafeBuffer(new byte[HelloAckFlyweight.LENGTH]);
    private final int maxFrame;
    private final Outbox outbox = new Outbox();
    private long refusalSecond;
    private int refusalsThisSecond;
    private long nextPairExpiry;

    Axon(Aeron aeron, QueryTransport.Context context, List<Subscription> subscriptions, AtomicLong setupsRefused,
         RefusalLog log) {
        this.aeron = aeron;
        this.context = context;
        this.subscriptions = subscriptions;
        this.counters = new Counters(setupsRefused);
        this.log = log;
        this.maxFrame = RequestFlyweight.HEADER_LENGTH + context.maxBodyBytes();
        this.sessions = new AxonSessions(context.maxSessions, context.freshnessMillis(), this::onEvicted);
    }

    /** A miner on this node starts answering: requests for {@code keys}' hotkey go to {@code handler}. */
    public void register(Keypair keys, RequestHandler handler, CallerPolicy policy) {
        targets.put(keys.address(), new Target(keys.address(), keys, handler, policy, new AtomicInteger()));
    }

    /** The miner left the node: its requests get 404 from now on. */
    public void unregister(Address hotkey) {
        targets.remove(hotkey);
    }

    public boolean serves(Address hotkey) {
        return targets.containsKey(hotkey);
    }

    /**
     * Sessions open now. The poller owns the session table and this reads its size without synchronising
     * with it, as a metrics scrape may: a count the poller wrote, possibly not its latest.
     */
    public int openSessions() {
        return sessions.size();
    }

    public Counters counters() {
        return counters;
    }

    int poll() {
        int work = outbox.retry();
        for (Subscription s : subscriptions) {
            work += s.poll(this::onFragment, 16);
        }
        long now = System.currentTimeMillis();
        if (now >= nextPairExpiry) {
            nextPairExpiry = now + PAIR_EXPIRY_MILLIS;
            sessions.expirePairs(now);
        }
        return work;
    }

    // ----------------------------------------------------------------------------------- reassembly

    private void onFragment(DirectBuffer buffer, int offset, int length, Header header) {
        byte flags = header.flags();
        Image image = (Image) header.context();
        if ((flags & FrameDescriptor.UNFRAGMENTED) == FrameDescriptor.UNFRAGMENTED) {
            onMessage(buffer, offset, length, image);
            return;
        }
        long key = image.correlationId();
        if ((flags & FrameDescriptor.BEGIN_FRAG_FLAG) != 0) {
            Partial p = partials.computeIfAbsent(key, i -> new Partial());
            p.length = 0;
            p.discard = false;
            if (length >= RequestFlyweight.HEADER_LENGTH && FrameHeader.type(buffer, offset) == FrameHeader.TYPE_REQUEST
                    && RequestFlyweight.bodyLength(buffer, offset) > context.maxBodyBytes()) {
                // refuse from the first fragment, which holds the whole header: the rest is never kept
                p.discard = true;
                counters.received.incrementAndGet();
                refuseTooLarge(buffer, offset);
                return;
            }
            append(p, buffer, offset, length);
            return;
        }
        Partial p = partials.get(key);
        if (p == null) {
            counters.dropped.incrementAndGet(); // a middle or end without its beginning
            return;
        }
        if (!p.discard) {
            append(p, buffer, offset, length);
        }
        if ((flags & FrameDescriptor.END_FRAG_FLAG) != 0) {
            partials.remove(key);
            if (!p.discard) {
                onMessage(p.buffer, 0, p.length, image);
            }
        }
    }

    private void append(Partial p, DirectBuffer buffer, int offset, int length) {
        if (p.length + length > maxFrame) {
            p.discard = true;
            counters.dropped.incrementAndGet(); // longer than any valid frame, whatever it declared
            return;
        }
        p.buffer.putBytes(p.length, buffer, offset, length);
        p.length += length;
    }

    // ----------------------------------------------------------------------------------- frames

    private void onMessage(DirectBuffer buffer, int offset, int length, Image image) {
        counters.received.incrementAndGet();
        if (length < 2 || FrameHeader.version(buffer, offset) != FrameHeader.VERSION) {
            counters.dropped.incrementAndGet();
            return;
        }
        switch (FrameHeader.type(buffer, offset)) {
            case FrameHeader.TYPE_HELLO -> onHello(buffer, offset, length, image);
            case FrameHeader.TYPE_REQUEST -> onRequest(buffer, offset, length);
            default -> counters.dropped.incrementAndGet();
        }
    }

    /**
     * A HELLO opens a session if, in this order: it is well formed; its miner lives here; its reply channel is
     * an axon announced on the subnet at the host the HELLO came from (else it is unanswered: the axon sends
     * nothing anywhere a peer merely names); its timestamp is fresh; its caller is admitted on the subnet;
     * its nonce is new for this caller and miner; the pair is within its budget of sessions; and its signature
     * is the caller's. A refusal after the reply channel check is answered there, signed by the miner.
     */
    private void onHello(DirectBuffer buffer, int offset, int length, Image image) {
        boolean signed = HelloFlyweight.wellFormed(buffer, offset, length);
        if (!signed && !HelloFlyweight.unsigned(buffer, offset, length)) {
            counters.dropped.incrementAndGet();
            return;
        }
        long correlation = HelloFlyweight.correlationId(buffer, offset);
        Address caller = HelloFlyweight.caller(buffer, offset);
        Address targetKey = HelloFlyweight.target(buffer, offset);
        int netuid = HelloFlyweight.netuid(buffer, offset);
        Target target = targets.get(targetKey);
        if (target == null) {
            // unanswered: no key here to sign a refusal with, and an unsigned one would be ignored
            counters.noSuchMiner.incrementAndGet();
            log.refused("hello-no-such-miner", () -> "HELLO from " + image.sourceIdentity() + " for " + targetKey.shortForm());
            return;
        }
        String replyChannel = HelloFlyweight.replyChannel(buffer, offset);
        int replyStream = HelloFlyweight.replyStream(buffer, offset);
        if (!replyChannelAllowed(target, netuid, replyChannel, replyStream, image.sourceIdentity())) {
            counters.refusedChannel.incrementAndGet();
            log.refused("hello-reply-channel", () -> "HELLO from " + image.sourceIdentity() + " naming " + replyChannel
                    + " stream " + replyStream + " (caller " + caller.shortForm() + ")");
            return;
        }
        long now = System.currentTimeMillis();
        byte[] signedBytes = HelloFlyweight.signedBytes(buffer, offset);
        if (Math.abs(now - HelloFlyweight.timestamp(buffer, offset)) > context.freshnessMillis()
                || !target.policy().admits(netuid, caller)) {
            counters.unauthorized.incrementAndGet();
            log.refused("hello-unauthorized", () -> "stale HELLO or caller " + caller.shortForm() + " not admitted on "
                    + netuid + ", from " + image.sourceIdentity());
            refuseHello(target, replyChannel, replyStream, Status.UNAUTHORIZED, correlation, signedBytes);
            return;
        }
        long nonce = HelloFlyweight.nonce(buffer, offset);
        AxonSessions.HelloCheck check = sessions.check(caller, targetKey, nonce, now);
        if (check == AxonSessions.HelloCheck.REPLAYED) {
            counters.replayed.incrementAndGet();
            log.refused("hello-replayed", () -> "HELLO nonce " + nonce + " of " + caller.shortForm() + " seen before, from "
                    + image.sourceIdentity());
            refuseHello(target, replyChannel, replyStream, Status.UNAUTHORIZED, correlation, signedBytes);
            return;
        }
        if (check == AxonSessions.HelloCheck.OVER_BUDGET) {
            counters.rateLimited.incrementAndGet();
            log.refused("hello-rate-limited", () -> caller.shortForm() + " opened " + AxonSessions.HELLOS_PER_PAIR
                    + " sessions with " + targetKey.shortForm() + " within the replay window");
            refuseHello(target, replyChannel, replyStream, Status.RATE_LIMITED, correlation, signedBytes);
            return;
        }
        if (!signed || !Keypair.verify(caller, signedBytes, HelloFlyweight.signature(buffer, offset))) {
            counters.unauthorized.incrementAndGet();
            log.refused("hello-bad-signature", () -> "HELLO claiming " + caller.shortForm() + " from " + image.sourceIdentity()
                    + (signed ? " with a wrong signature" : " without a signature"));
            refuseHello(target, replyChannel, replyStream, Status.UNAUTHORIZED, correlation, signedBytes);
            return;
        }
        String replyKey = publicationKey(replyChannel, replyStream);
        Publication reply = publication(replyChannel, replyStream, replyKey);
        if (reply == null) {
            counters.dropped.incrementAndGet();
            return;
        }
        SessionCrypto.Ephemeral ephemeral = SessionCrypto.ephemeral();
        long sessionId = random.nextLong() & Long.MAX_VALUE | 1;
        HelloAckFlyweight.encode(ackBuffer, 0, Status.OK, correlation, sessionId, ephemeral.publicKey());
        byte[] ackSigned = HelloAckFlyweight.signedBytes(SessionCrypto.sha256(signedBytes), ackBuffer, 0);
        byte[] key;
        try {
            key = SessionCrypto.sessionKey(ephemeral.privateKey(), HelloFlyweight.ephemeral(buffer, offset), ackSigned);
        } catch (GeneralSecurityException e) {
            counters.unauthorized.incrementAndGet();
            log.refused("hello-bad-ephemeral", () -> "HELLO of " + caller.shortForm() + " with an invalid X25519 key");
            refuseHello(target, replyChannel, replyStream, Status.UNAUTHORIZED, correlation, signedBytes);
            return;
        }
        ackBuffer.putBytes(HelloAckFlyweight.SIGNATURE_OFFSET, target.keys().sign(ackSigned));
        sessions.open(sessionId, caller, targetKey, netuid, key, reply, replyKey, nonce, now);
        counters.sessionsOpened.incrementAndGet();
        outbox.send(reply, ackBuffer, 0, HelloAckFlyweight.LENGTH);
    }

    /**
     * Where a HELLO may ask for its answers: {@code aeron:ipc} on the IPC reply stream when it came over IPC
     * (a process on this node); over UDP, {@code aeron:udp?endpoint=host:port} on the UDP reply stream, where
     * that channel is an axon announced on the subnet and its host is the one the HELLO came from.
     */
    private static boolean replyChannelAllowed(Target target, int netuid, String channel, int stream, String source) {
        boolean overIpc = QueryTransport.IPC.equals(source);
        if (QueryTransport.IPC.equals(channel)) {
            return overIpc && stream == QueryTransport.DENDRITE_IPC_STREAM;
        }
        if (overIpc || stream != QueryTransport.DENDRITE_STREAM || !acceptableReplyChannel(channel)
                || !target.policy().announced(netuid, channel)) {
            return false;
        }
        return sameHost(channelHost(channel), sourceHost(source));
    }

    /** Answers a refused HELLO on its (checked) reply channel, signed by the miner; past the budget only counted. */
    private void refuseHello(Target target, String replyChannel, int replyStream, int status, long correlation,
                             byte[] helloSigned) {
        long second = System.currentTimeMillis() / 1000;
        if (second != refusalSecond) {
            refusalSecond = second;
            refusalsThisSecond = 0;
        }
        if (++refusalsThisSecond > REFUSALS_PER_SECOND) {
            return;
        }
        Publication reply = publication(replyChannel, replyStream, publicationKey(replyChannel, replyStream));
        if (reply == null) {
            return;
        }
        HelloAckFlyweight.encode(ackBuffer, 0, status, correlation, 0, null);
        byte[] ackSigned = HelloAckFlyweight.signedBytes(SessionCrypto.sha256(helloSigned), ackBuffer, 0);
        ackBuffer.putBytes(HelloAckFlyweight.SIGNATURE_OFFSET, target.keys().sign(ackSigned));
        if (outbox.send(reply, ackBuffer, 0, HelloAckFlyweight.LENGTH)) {
            counters.refusalsAnswered.incrementAndGet();
        }
    }

    /**
     * A bound replaced the session: its caller is told with a RESPONSE of correlation id 0 and status 401 under
     * the session's key, and opens a new session on its next query.
     */
    private void onEvicted(AxonSessions.Session session) {
        counters.sessionsEvicted.incrementAndGet();
        send(session, 0, Status.UNAUTHORIZED, 0, new byte[0]);
    }

    /** No body: what a refusal answers with. */
    private static final byte[] NO_BODY = new byte[0];
    /** A check passed. */
    private static final int ADMITTED = 0;

    /**
     * A REQUEST reaches the model if, in this order: it is at least a header long; its session is open; its
     * MAC is right (an unauthenticated frame is counted and never answered, whatever it declares); its body is
     * within the maximum (413); its nonce is above the session's last, its timestamp fresh and its length its
     * header's (401); its body matches its hash (401); its deadline is ahead (408); the miner is still here
     * (404); the miner has room (503). Each check counts what it refuses and returns the status to answer.
     */
    private void onRequest(DirectBuffer buffer, int offset, int length) {
        AxonSessions.Session session = authenticated(buffer, offset, length);
        if (session == null) {
            return; // counted; an unauthenticated frame is never answered
        }
        long correlation = RequestFlyweight.correlationId(buffer, offset);
        long now = System.currentTimeMillis();
        int status = withinSize(buffer, offset);
        if (status == ADMITTED) {
            status = freshAndWhole(session, buffer, offset, length, now);
        }
        if (status == ADMITTED) {
            status = bodyMatchesHash(session, buffer, offset);
        }
        if (status == ADMITTED) {
            session.lastNonce = RequestFlyweight.nonce(buffer, offset);
            sessions.touch(session);
            publications.get(session.replyKey); // in use: the least recently used channels are the ones recycled
            status = beforeDeadline(buffer, offset, now);
        }
        Target target = status == ADMITTED ? targets.get(session.target) : null;
        if (status == ADMITTED) {
            status = minerWithRoom(target);
        }
        if (status != ADMITTED) {
            send(session, correlation, status, 0, NO_BODY);
            return;
        }
        dispatch(session, target, buffer, offset, correlation);
    }

    /** The request's open session, when the frame is long enough and its MAC is the session's; else null, counted. */
    private AxonSessions.Session authenticated(DirectBuffer buffer, int offset, int length) {
        if (length < RequestFlyweight.HEADER_LENGTH) {
            counters.dropped.incrementAndGet();
            return null;
        }
        AxonSessions.Session session = sessions.get(RequestFlyweight.sessionId(buffer, offset));
        if (session == null) {
            counters.dropped.incrementAndGet(); // no session, so no authenticated way to answer
            return null;
        }
        if (!SessionCrypto.macValid(session.key, RequestFlyweight.MAC_DOMAIN, buffer, offset, RequestFlyweight.MAC_OFFSET)) {
            counters.unauthorized.incrementAndGet();
            log.refused("request-bad-mac", () -> "REQUEST with a wrong MAC on a session of " + session.caller.shortForm());
            return null;
        }
        return session;
    }

    private int withinSize(DirectBuffer buffer, int offset) {
        if (RequestFlyweight.bodyLength(buffer, offset) > context.maxBodyBytes()) {
            counters.tooLarge.incrementAndGet();
            return Status.TOO_LARGE;
        }
        return ADMITTED;
    }

    /** A nonce above the session's last, a fresh timestamp, and the length the header declares. */
    private int freshAndWhole(AxonSessions.Session session, DirectBuffer buffer, int offset, int length, long now) {
        long nonce = RequestFlyweight.nonce(buffer, offset);
        int bodyLength = RequestFlyweight.bodyLength(buffer, offset);
        if (nonce <= session.lastNonce || Math.abs(now - RequestFlyweight.timestamp(buffer, offset)) > context.freshnessMillis()
                || bodyLength < 0 || length != RequestFlyweight.HEADER_LENGTH + bodyLength) {
            counters.unauthorized.incrementAndGet();
            log.refused("request-replayed-or-stale", () -> "REQUEST of " + session.caller.shortForm() + " with nonce " + nonce
                    + " (last " + session.lastNonce + ") or a stale timestamp or a wrong length");
            return Status.UNAUTHORIZED;
        }
        return ADMITTED;
    }

    private int bodyMatchesHash(AxonSessions.Session session, DirectBuffer buffer, int offset) {
        int bodyLength = RequestFlyweight.bodyLength(buffer, offset);
        byte[] bodyHash = SessionCrypto.sha256(buffer, offset + RequestFlyweight.HEADER_LENGTH, bodyLength);
        byte[] declared = new byte[32];
        buffer.getBytes(offset + RequestFlyweight.BODY_HASH_OFFSET, declared);
        if (!java.security.MessageDigest.isEqual(bodyHash, declared)) {
            counters.unauthorized.incrementAndGet();
            log.refused("request-body-hash", () -> "REQUEST of " + session.caller.shortForm() + " whose body does not match its hash");
            return Status.UNAUTHORIZED;
        }
        return ADMITTED;
    }

    private int beforeDeadline(DirectBuffer buffer, int offset, long now) {
        if (RequestFlyweight.deadline(buffer, offset) < now) {
            counters.expired.incrementAndGet();
            return Status.TIMEOUT;
        }
        return ADMITTED;
    }

    /** The miner is still served here, and has a slot for one more request in flight (taken when it has). */
    private int minerWithRoom(Target target) {
        if (target == null) {
            counters.noSuchMiner.incrementAndGet();
            return Status.NO_SUCH_MINER;
        }
        if (target.inFlight().incrementAndGet() > context.maxInFlight) {
            target.inFlight().decrementAndGet();
            counters.overloaded.incrementAndGet();
            return Status.OVERLOADED;
        }
        return ADMITTED;
    }

    /** Hands an admitted request to its miner's handler; the first answer goes back, and frees the miner's slot. */
    private void dispatch(AxonSessions.Session session, Target target, DirectBuffer buffer, int offset, long correlation) {
        byte[] body = new byte[RequestFlyweight.bodyLength(buffer, offset)];
        buffer.getBytes(offset + RequestFlyweight.HEADER_LENGTH, body);
        Request request = new Request(session.caller, session.target, RequestFlyweight.netuid(buffer, offset), correlation,
                body, RequestFlyweight.deadline(buffer, offset));
        long received = System.nanoTime();
        AtomicBoolean answered = new AtomicBoolean();
        counters.handlerInvocations.incrementAndGet();
        try {
            target.handler().onRequest(request, (status, answer) -> {
                if (answered.compareAndSet(false, true)) {
                    target.inFlight().decrementAndGet();
                    int micros = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - received) / 1000);
                    if (status == Status.OK) {
                        counters.served.incrementAndGet();
                    }
                    send(session, correlation, status, micros, answer == null ? NO_BODY : answer);
                }
            });
        } catch (RuntimeException e) {
            if (answered.compareAndSet(false, true)) {
                target.inFlight().decrementAndGet();
                send(session, correlation, Status.MINER_ERROR, 0, NO_BODY);
            }
        }
    }

    /** A REQUEST's first fragment declares a body over the maximum: 413 if it is authenticated, else counted. */
    private void refuseTooLarge(DirectBuffer buffer, int offset) {
        AxonSessions.Session session = sessions.get(RequestFlyweight.sessionId(buffer, offset));
        if (session == null) {
            counters.dropped.incrementAndGet();
            return;
        }
        if (!SessionCrypto.macValid(session.key, RequestFlyweight.MAC_DOMAIN, buffer, offset, RequestFlyweight.MAC_OFFSET)) {
            counters.unauthorized.incrementAndGet();
            log.refused("request-bad-mac", () -> "oversized REQUEST with a wrong MAC on a session of " + session.caller.shortForm());
            return;
        }
        counters.tooLarge.incrementAndGet();
        send(session, RequestFlyweight.correlationId(buffer, offset), Status.TOO_LARGE, 0, new byte[0]);
    }

    /** Encodes, MACs and sends a response; safe from any thread. */
    private void send(AxonSessions.Session session, long correlation, int status, int micros, byte[] body) {
        ExpandableArrayBuffer out = OUT.get();
        ResponseFlyweight.encode(out, 0, status, body.length, correlation, session.id, micros, SessionCrypto.sha256(body));
        out.putBytes(ResponseFlyweight.MAC_OFFSET, SessionCrypto.mac(session.key, ResponseFlyweight.MAC_DOMAIN, out, 0,
                ResponseFlyweight.MAC_OFFSET));
        out.putBytes(ResponseFlyweight.HEADER_LENGTH, body);
        if (!outbox.send(session.reply, out, 0, ResponseFlyweight.HEADER_LENGTH + body.length)) {
            counters.sendFailures.incrementAndGet();
        }
    }

    /** The publication to a reply channel, made once; null for a channel Aeron rejects. */
    private Publication publication(String channel, int stream, String key) {
        Publication p = publications.get(key);
        if (p == null) {
            try {
                p = aeron.addPublication(channel, stream);
            } catch (RuntimeException e) {
                return null; // e.g. a host name that does not resolve
            }
            publications.put(key, p);
        }
        return p;
    }

    private static String publicationKey(String channel, int stream) {
        return channel + "#" + stream;
    }

    private static final Pattern UDP_REPLY = Pattern.compile(
            "aeron:udp\\?endpoint=(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*|\\[[0-9A-Fa-f:.]{2,45}\\])"
                    + ":([0-9]{1,5})");

    /**
     * Reply channels take exactly the two forms dendrites announce, {@code aeron:ipc} and
     * {@code aeron:udp?endpoint=host:port}: no other parameter (a caller must not choose the axon's buffer
     * sizes), a plain host name or address, a port in range.
     */
    static boolean acceptableReplyChannel(String channel) {
        if (QueryTransport.IPC.equals(channel)) {
            return true;
        }
        Matcher m = UDP_REPLY.matcher(channel);
        if (!m.matches()) {
            return false;
        }
        int port = Integer.parseInt(m.group(1));
        return port > 0 && port <= 65_535;
    }

    /** The host of an {@code aeron:udp?endpoint=host:port} channel, brackets removed. */
    static String channelHost(String channel) {
        String endpoint = channel.substring(channel.indexOf('=') + 1);
        return stripBrackets(endpoint.substring(0, endpoint.lastIndexOf(':')));
    }

    /** The host of an Aeron image's source identity ({@code ip:port}, {@code [v6]:port}). */
    static String sourceHost(String source) {
        int colon = source.lastIndexOf(':');
        return stripBrackets(colon < 0 ? source : source.substring(0, colon));
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Whether a channel's host (a name or a literal) is the address a frame came from. */
    static boolean sameHost(String channelHost, String sourceHost) {
        try {
            java.net.InetAddress source = java.net.InetAddress.getByName(sourceHost);
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(channelHost)) {
                if (a.equals(source)) {
                    return true;
                }
            }
            return false;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
