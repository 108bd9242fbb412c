package io.cortex.protocol.aeron;

import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
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
 * of a HELLO are signed by the miner. Every refusal is counted ({@link AxonCounters}) and logged, rate-limited.
 *
 * <p>Frames are handled on the node's poller thread; a handler must not block it (actors just tell).
 * {@link Responder#respond} may be called from any thread, once.
 */
// long on purpose: a HELLO's and a REQUEST's checks are each one sequence, read top to bottom
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

    private record Target(Address hotkey, Keypair keys, RequestHandler handler, CallerPolicy policy,
                          AtomicInteger inFlight) {
    }

    /** Distinct reply channels kept open; each holds a log buffer, so they are few and recycled. */
    static final int MAX_REPLY_CHANNELS = 1024;
    /** Signed refusals of HELLOs per second, at most: signing costs the poller, so floods are only counted. */
    static final int REFUSALS_PER_SECOND = 100;
    private static final long PAIR_EXPIRY_MILLIS = 5_000;
    /** Each sending thread's response encoder, over its own buffer. */
    private static final ThreadLocal<ResponseFlyweight> OUT = ThreadLocal.withInitial(
            () -> new ResponseFlyweight().wrap(new ExpandableArrayBuffer(4096), 0));

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
    private final InboundFrames frames;
    private final SecureRandom random = new SecureRandom();
    private final AxonCounters counters;
    private final RefusalLog log;
    private final UnsafeBuffer ackBuffer = new UnsafeBuffer(new byte[HelloAckFlyweight.LENGTH]);
    private final Outbox outbox = new Outbox();
    private long refusalSecond;
    private int refusalsThisSecond;
    private long nextPairExpiry;

    Axon(Aeron aeron, QueryTransport.Context context, List<Subscription> subscriptions, AtomicLong setupsRefused,
         RefusalLog log) {
        this.aeron = aeron;
        this.context = context;
        this.subscriptions = subscriptions;
        this.counters = new AxonCounters(setupsRefused);
        this.log = log;
        this.sessions = new AxonSessions(context.maxSessions, context.freshnessMillis(), this::onEvicted);
        // reassembled messages stop at the largest frame accepted; a whole one of any length reaches its handler,
        // which checks it (a REQUEST over the maximum is answered 413 when authenticated)
        int maxFrame = Math.max(RequestFlyweight.HEADER_LENGTH + context.maxBodyBytes(),
                HelloFlyweight.length(HelloFlyweight.MAX_CHANNEL));
        this.frames = new InboundFrames(maxFrame, counters.received, counters.dropped, this::keepRequest)
                .on(FrameHeader.TYPE_HELLO, 2, Integer.MAX_VALUE, this::onHello)
                .on(FrameHeader.TYPE_REQUEST, RequestFlyweight.HEADER_LENGTH, Integer.MAX_VALUE,
                        (b, o, l, image) -> onRequest(b, o, l));
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

    public AxonCounters counters() {
        return counters;
    }

    /** Where whole frames enter (the poller's subscriptions lead here; the allocation benchmark calls it directly). */
    InboundFrames frames() {
        return frames;
    }

    int poll() {
        int work = outbox.retry() + frames.poll(subscriptions);
        long now = System.currentTimeMillis();
        if (now >= nextPairExpiry) {
            nextPairExpiry = now + PAIR_EXPIRY_MILLIS;
            sessions.expirePairs(now);
        }
        return work;
    }

    // ----------------------------------------------------------------------------------- frames

    /**
     * A REQUEST's first fragment holds its whole header: one that declares a body over the maximum is answered
     * 413 from there (when authenticated) and its other fragments are never kept.
     */
    private boolean keepRequest(DirectBuffer buffer, int offset, int length) {
        if (length >= RequestFlyweight.HEADER_LENGTH && FrameHeader.type(buffer, offset) == FrameHeader.TYPE_REQUEST
                && FrameHeader.bodyLength(buffer, offset) > context.maxBodyBytes()) {
            refuseTooLarge(buffer, offset);
            return false;
        }
        return true;
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
        Hello hello = Hello.read(buffer, offset, image.sourceIdentity());
        Target target = targets.get(hello.target());
        if (target == null) {
            // unanswered: no key here to sign a refusal with, and an unsigned one would be ignored
            counters.noSuchMiner.incrementAndGet();
            log.refused("hello-no-such-miner", () -> "HELLO from " + hello.source() + " for " + hello.target().shortForm());
            return;
        }
        if (!ReplyChannels.allowed(target.policy(), hello.netuid(), hello.replyChannel(), hello.replyStream(), hello.source())) {
            counters.refusedChannel.incrementAndGet();
            log.refused("hello-reply-channel", () -> "HELLO from " + hello.source() + " naming " + hello.replyChannel()
                    + " stream " + hello.replyStream() + " (caller " + hello.caller().shortForm() + ")");
            return;
        }
        long now = System.currentTimeMillis();
        byte[] signedBytes = HelloFlyweight.signedBytes(buffer, offset);
        int status = admitted(hello, target, now);
        if (status == ADMITTED) {
            status = signedByCaller(hello, signed, signedBytes, buffer, offset);
        }
        if (status != ADMITTED) {
            counters.refusedOn(hello.netuid());
            refuseHello(target, hello.replyChannel(), hello.replyStream(), status, hello.correlation(), signedBytes);
            return;
        }
        openSession(hello, target, now, signedBytes, HelloFlyweight.ephemeral(buffer, offset));
    }

    /** A HELLO's fields, read once. */
    private record Hello(long correlation, Address caller, Address target, int netuid, long nonce, long timestamp,
                         String replyChannel, int replyStream, String source) {
        static Hello read(DirectBuffer buffer, int offset, String source) {
            return new Hello(FrameHeader.correlationId(buffer, offset), HelloFlyweight.caller(buffer, offset),
                    HelloFlyweight.target(buffer, offset), HelloFlyweight.netuid(buffer, offset),
                    HelloFlyweight.nonce(buffer, offset), HelloFlyweight.timestamp(buffer, offset),
                    HelloFlyweight.replyChannel(buffer, offset), HelloFlyweight.replyStream(buffer, offset), source);
        }
    }

    /** A fresh HELLO of an admitted caller, with a new nonce, within its pair's budget of sessions; else the refusal. */
    private int admitted(Hello hello, Target target, long now) {
        if (!fresh(hello.timestamp(), now) || !target.policy().admits(hello.netuid(), hello.caller())) {
            counters.unauthorized.incrementAndGet();
            log.refused("hello-unauthorized", () -> "stale HELLO or caller " + hello.caller().shortForm() + " not admitted on "
                    + hello.netuid() + ", from " + hello.source());
            return Status.UNAUTHORIZED;
        }
        AxonSessions.HelloCheck check = sessions.check(hello.caller(), hello.target(), hello.nonce(), now);
        if (check == AxonSessions.HelloCheck.REPLAYED) {
            counters.replayed.incrementAndGet();
            log.refused("hello-replayed", () -> "HELLO nonce " + hello.nonce() + " of " + hello.caller().shortForm()
                    + " seen before, from " + hello.source());
            return Status.UNAUTHORIZED;
        }
        if (check == AxonSessions.HelloCheck.OVER_BUDGET) {
            counters.rateLimited.incrementAndGet();
            log.refused("hello-rate-limited", () -> hello.caller().shortForm() + " opened " + AxonSessions.HELLOS_PER_PAIR
                    + " sessions with " + hello.target().shortForm() + " within the replay window");
            return Status.RATE_LIMITED;
        }
        return ADMITTED;
    }

    /** The caller's signature over the HELLO, checked last: it is the expensive check. */
    private int signedByCaller(Hello hello, boolean signed, byte[] signedBytes, DirectBuffer buffer, int offset) {
        if (!signed || !Keypair.verify(hello.caller(), signedBytes, HelloFlyweight.signature(buffer, offset))) {
            counters.unauthorized.incrementAndGet();
            log.refused("hello-bad-signature", () -> "HELLO claiming " + hello.caller().shortForm() + " from " + hello.source()
                    + (signed ? " with a wrong signature" : " without a signature"));
            return Status.UNAUTHORIZED;
        }
        return ADMITTED;
    }

    /** Opens the session and answers the HELLO_ACK, signed by the miner, with the axon's half of the key exchange. */
    private void openSession(Hello hello, Target target, long now, byte[] signedBytes, byte[] callerEphemeral) {
        String replyKey = publicationKey(hello.replyChannel(), hello.replyStream());
        Publication reply = publication(hello.replyChannel(), hello.replyStream(), replyKey);
        if (reply == null) {
            counters.dropped.incrementAndGet();
            return;
        }
        SessionCrypto.Ephemeral ephemeral = SessionCrypto.ephemeral();
        long sessionId = random.nextLong() & Long.MAX_VALUE | 1;
        HelloAckFlyweight.encode(ackBuffer, 0, Status.OK, hello.correlation(), sessionId, ephemeral.publicKey());
        byte[] ackSigned = HelloAckFlyweight.signedBytes(SessionCrypto.sha256(signedBytes), ackBuffer, 0);
        byte[] key;
        try {
            key = SessionCrypto.sessionKey(ephemeral.privateKey(), callerEphemeral, ackSigned);
        } catch (GeneralSecurityException e) {
            counters.unauthorized.incrementAndGet();
            log.refused("hello-bad-ephemeral", () -> "HELLO of " + hello.caller().shortForm() + " with an invalid X25519 key");
            refuseHello(target, hello.replyChannel(), hello.replyStream(), Status.UNAUTHORIZED, hello.correlation(), signedBytes);
            return;
        }
        ackBuffer.putBytes(HelloAckFlyweight.SIGNATURE_OFFSET, target.keys().sign(ackSigned));
        sessions.open(sessionId, hello.caller(), hello.target(), hello.netuid(), key, reply, replyKey, hello.nonce(), now);
        counters.sessionsOpened.incrementAndGet();
        outbox.send(reply, ackBuffer, 0, HelloAckFlyweight.LENGTH);
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
        send(session, 0, Status.UNAUTHORIZED, 0, NO_BODY);
    }

    /** Whether a HELLO's or REQUEST's timestamp is within the freshness window of the axon's clock, either way. */
    private boolean fresh(long timestamp, long now) {
        return Math.abs(now - timestamp) <= context.freshnessMillis();
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
        AxonSessions.Session session = authenticated(buffer, offset, "REQUEST");
        if (session == null) {
            return; // counted; an unauthenticated frame is never answered
        }
        long correlation = FrameHeader.correlationId(buffer, offset);
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
            counters.refusedOn(RequestFlyweight.netuid(buffer, offset));
            send(session, correlation, status, 0, NO_BODY);
            return;
        }
        dispatch(session, target, buffer, offset, correlation);
    }

    /**
     * The open session of a REQUEST ({@code what} names it in the log) whose MAC is the session's; else null,
     * counted. Its header is whole (its first fragment at least).
     */
    private AxonSessions.Session authenticated(DirectBuffer buffer, int offset, String what) {
        AxonSessions.Session session = sessions.get(FrameHeader.sessionId(buffer, offset));
        if (session == null) {
            counters.dropped.incrementAndGet(); // no session, so no authenticated way to answer
            return null;
        }
        if (!session.mac.valid(RequestFlyweight.MAC_DOMAIN, buffer, offset, RequestFlyweight.MAC_OFFSET)) {
            counters.unauthorized.incrementAndGet();
            log.refused("request-bad-mac", () -> what + " with a wrong MAC on a session of " + session.caller.shortForm());
            return null;
        }
        return session;
    }

    private int withinSize(DirectBuffer buffer, int offset) {
        if (FrameHeader.bodyLength(buffer, offset) > context.maxBodyBytes()) {
            counters.tooLarge.incrementAndGet();
            return Status.TOO_LARGE;
        }
        return ADMITTED;
    }

    /** A nonce above the session's last, a fresh timestamp, and the length the header declares. */
    private int freshAndWhole(AxonSessions.Session session, DirectBuffer buffer, int offset, int length, long now) {
        long nonce = RequestFlyweight.nonce(buffer, offset);
        int bodyLength = FrameHeader.bodyLength(buffer, offset);
        if (nonce <= session.lastNonce || !fresh(RequestFlyweight.timestamp(buffer, offset), now)
                || bodyLength < 0 || length != RequestFlyweight.HEADER_LENGTH + bodyLength) {
            counters.unauthorized.incrementAndGet();
            log.refused("request-replayed-or-stale", () -> "REQUEST of " + session.caller.shortForm() + " with nonce " + nonce
                    + " (last " + session.lastNonce + ") or a stale timestamp or a wrong length");
            return Status.UNAUTHORIZED;
        }
        return ADMITTED;
    }

    private int bodyMatchesHash(AxonSessions.Session session, DirectBuffer buffer, int offset) {
        if (!BodyHash.get().matches(buffer, offset + RequestFlyweight.HEADER_LENGTH, FrameHeader.bodyLength(buffer, offset),
                offset + RequestFlyweight.BODY_HASH_OFFSET)) {
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
        byte[] body = new byte[FrameHeader.bodyLength(buffer, offset)];
        buffer.getBytes(offset + RequestFlyweight.HEADER_LENGTH, body);
        Request request = new Request(session.caller, session.target, RequestFlyweight.netuid(buffer, offset), correlation,
                body, RequestFlyweight.deadline(buffer, offset));
        Exchange exchange = new Exchange(session, target, correlation);
        counters.handlerInvocations.incrementAndGet();
        try {
            target.handler().onRequest(request, exchange);
        } catch (RuntimeException e) {
            exchange.respond(Status.MINER_ERROR, NO_BODY, false);
        }
    }

    /** One request in the hands of its miner: the responder that sends its one answer. */
    private final class Exchange implements Responder {
        private static final VarHandle ANSWERED;

        static {
            try {
                ANSWERED = MethodHandles.lookup().findVarHandle(Exchange.class, "answered", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final AxonSessions.Session session;
        private final Target target;
        private final long correlation;
        private final long receivedNanos = System.nanoTime();
        @SuppressWarnings("unused") // through ANSWERED
        private volatile boolean answered;

        Exchange(AxonSessions.Session session, Target target, long correlation) {
            this.session = session;
            this.target = target;
            this.correlation = correlation;
        }

        @Override
        public void respond(int status, byte[] answer) {
            respond(status, answer == null ? NO_BODY : answer, true);
        }

        void respond(int status, byte[] answer, boolean timed) {
            if (!ANSWERED.compareAndSet(this, false, true)) {
                return; // the first answer counts
            }
            target.inFlight().decrementAndGet();
            int micros = timed ? (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - receivedNanos) / 1000) : 0;
            if (status == Status.OK) {
                counters.served.incrementAndGet();
            }
            send(session, correlation, status, micros, answer);
        }
    }

    /** A REQUEST's first fragment declares a body over the maximum: 413 if it is authenticated, else counted. */
    private void refuseTooLarge(DirectBuffer buffer, int offset) {
        AxonSessions.Session session = authenticated(buffer, offset, "oversized REQUEST");
        if (session == null) {
            return;
        }
        counters.tooLarge.incrementAndGet();
        counters.refusedOn(RequestFlyweight.netuid(buffer, offset));
        send(session, FrameHeader.correlationId(buffer, offset), Status.TOO_LARGE, 0, NO_BODY);
    }

    /** Encodes, MACs and sends a response; safe from any thread, and allocates nothing. */
    private void send(AxonSessions.Session session, long correlation, int status, int micros, byte[] body) {
        ResponseFlyweight out = OUT.get().status(status).correlationId(correlation).sessionId(session.id)
                .processingMicros(micros);
        int length = out.seal(body, session.mac);
        if (!outbox.send(session.reply, out.buffer(), 0, length)) {
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
}
