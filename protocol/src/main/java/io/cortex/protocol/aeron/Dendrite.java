package io.cortex.protocol.aeron;

import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The outbound side of a node (ARCHITECTURE.md section 5): validators query miners through it. It opens a
 * session per (caller hotkey, miner) on first use, sends each request with a strictly increasing nonce and
 * a deadline, matches responses to pending requests by correlation id, checks their MAC, and completes
 * every request exactly once: with the miner's answer, or with 408 at the deadline, or 503 when the
 * transport cannot take it. A miner on the same node is reached over IPC, others over UDP.
 *
 * <p>A session lives as long as the axon's reply publication it was acknowledged on. When that ends (the
 * miner's node stopped or restarted, or the axon recycled the reply channel with its sessions) Aeron reports
 * the reply image unavailable, and the dendrite forgets every session acknowledged over it: the next query
 * opens a new one. Timeouts alone never end a session, since a slow miner times out too.
 */
public final class Dendrite {
    /** A miner's answer as the caller sees it; a status other than 200 has an empty body. */
    public record Response(int status, byte[] body, int processingMicros, long roundTripNanos) {
        private static final byte[] NO_BODY = new byte[0];

        /** A query that ended without the miner's answer: refused, timed out, or not sent. */
        static Response unanswered(int status, long roundTripNanos) {
            return new Response(status, NO_BODY, 0, roundTripNanos);
        }

        public boolean ok() {
            return status == Status.OK;
        }
    }

    /** What the dendrite counted. */
    public static final class Counters {
        private final NamedCounters named = new NamedCounters();
        public final AtomicLong sent = named.add("sent");
        public final AtomicLong answered = named.add("answered");
        public final AtomicLong timedOut = named.add("timed_out");
        public final AtomicLong refused = named.add("refused");
        public final AtomicLong sessionsOpened = named.add("sessions_opened");
        /** Sessions forgotten because the axon's reply publication they were acknowledged on ended. */
        public final AtomicLong sessionsLost = named.add("sessions_lost");
        /** Sessions the axon replaced to keep its bounds, and told us so. */
        public final AtomicLong sessionsEnded = named.add("sessions_ended");
        /** HELLO_ACKs, refusals included, not signed by the miner the HELLO was for: ignored. */
        public final AtomicLong forgedAcks = named.add("forged_acks");
        public final AtomicLong dropped = named.add("dropped");
        /** Queries by the way they went (not shown by name). */
        public final AtomicLong overUdp = new AtomicLong();
        public final AtomicLong overIpc = new AtomicLong();

        /** Every counter by name, for the node's status. */
        public Map<String, Long> snapshot() {
            return named.snapshot();
        }

        @Override
        public String toString() {
            return "sent=" + sent + " answered=" + answered + " timedOut=" + timedOut + " refused=" + refused
                    + " sessions=" + sessionsOpened + " lost=" + sessionsLost + " ended=" + sessionsEnded + " forgedAcks=" + forgedAcks + " udp=" + overUdp + " ipc=" + overIpc + " dropped=" + dropped;
        }
    }

    private record SessionKey(Address caller, Address target, String channel) {
    }

    private static final class ClientSession {
        final long id;
        /** The session's MAC key, for signing requests and checking answers. */
        final SessionMac mac;
        final Publication publication;
        /** The image the HELLO_ACK came on (its correlation id, unique within the Aeron client). */
        final long replyImage;
        long nonce;

        ClientSession(long id, byte[] key, Publication publication, long replyImage) {
            this.id = id;
            this.mac = new SessionMac(key);
            this.publication = publication;
            this.replyImage = replyImage;
        }
    }

    private record PendingHello(CompletableFuture<ClientSession> future, SessionCrypto.Ephemeral ephemeral,
                                byte[] helloHash, Address target, Publication publication, long deadlineMillis,
                                SessionKey key) {
    }

    private record PendingQuery(CompletableFuture<Response> future, long deadlineMillis, long startNanos,
                                ClientSession session, SessionKey key) {
    }

    /** A refused handshake, carrying the status the query completes with. */
    private static final class Refused extends RuntimeException {
        final int status;

        Refused(int status) {
            super(Status.describe(status), null, false, false);
            this.status = status;
        }
    }

    /** Each sending thread's request encoder, over its own buffer. */
    private static final ThreadLocal<RequestFlyweight> OUT = ThreadLocal.withInitial(
            () -> new RequestFlyweight().wrap(new ExpandableArrayBuffer(4096), 0));
    private static final long EXPIRY_SCAN_NANOS = 2_000_000;
    /** The correlation id of an axon's notice that it ended a session; no query uses it. */
    static final long SESSION_ENDED = 0;

    private final Aeron aeron;
    private final QueryTransport.Context context;
    private final String endpoint;
    private final String ownAxon;
    private final List<Subscription> subscriptions;
    private final Map<String, Publication> publications = new ConcurrentHashMap<>();
    private final Map<SessionKey, CompletableFuture<ClientSession>> sessions = new ConcurrentHashMap<>();
    private final Map<Long, PendingHello> hellos = new ConcurrentHashMap<>();
    private final Map<Long, PendingQuery> queries = new ConcurrentHashMap<>();
    private final InboundFrames frames;
    private final AtomicLong correlations = new AtomicLong(new SecureRandom().nextLong() & 0xFFFF_FFFFL);
    /** HELLO nonces: random, so that a restarted node never repeats one an axon still remembers. */
    private final SecureRandom nonces = new SecureRandom();
    private final Outbox outbox = new Outbox();
    private final Counters counters = new Counters();
    private long nextExpiryScan;

    /**
     * Subscribes to the node's reply streams (UDP at {@code bound}, and IPC); HELLOs name {@code advertised},
     * the endpoint peers reach the node at, as the reply channel.
     */
    Dendrite(Aeron aeron, QueryTransport.Context context, String bound, String advertised) {
        this.aeron = aeron;
        this.context = context;
        this.endpoint = advertised;
        this.ownAxon = QueryTransport.udp(advertised);
        int maxFrame = ResponseFlyweight.HEADER_LENGTH + context.maxBodyBytes();
        this.frames = new InboundFrames(maxFrame, counters.dropped)
                .on(FrameHeader.TYPE_HELLO_ACK, HelloAckFlyweight.LENGTH, HelloAckFlyweight.LENGTH, this::onAck)
                .on(FrameHeader.TYPE_RESPONSE, ResponseFlyweight.HEADER_LENGTH, Integer.MAX_VALUE, (b, o, l, image) -> onResponse(b, o, l));
        this.subscriptions = List.of(
                aeron.addSubscription(QueryTransport.udp(bound), QueryTransport.DENDRITE_STREAM, null, this::onReplyImageGone),
                aeron.addSubscription(QueryTransport.IPC, QueryTransport.DENDRITE_IPC_STREAM, null, this::onReplyImageGone));
    }

    /** Sessions open or opening now, to any miner. */
    public int openSessions() {
        return sessions.size();
    }

    public Counters counters() {
        return counters;
    }

    /** Told how each query ended: its subnet, the miner asked, the status and the round trip (a node's metrics). */
    public interface Observer {
        void ended(int netuid, Address miner, int status, long roundTripNanos);
    }

    private volatile Observer observer;

    /** From now on tells {@code observer} how each query ends (one at a time; null for none). */
    public void observe(Observer observer) {
        this.observer = observer;
    }

    /**
     * Queries the miner {@code target} served at {@code axonChannel} as {@code caller}. Always completes,
     * never exceptionally: with the answer, 408 at the deadline, or another status when refused.
     */
    public CompletableFuture<Response> query(Keypair caller, Address target, String axonChannel, int netuid, byte[] body,
                                             Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        long start = System.nanoTime();
        if (body.length > context.maxBodyBytes()) {
            return CompletableFuture.completedFuture(Response.unanswered(Status.TOO_LARGE, 0));
        }
        boolean local = axonChannel.equals(ownAxon);
        String channel = local ? QueryTransport.IPC : axonChannel;
        int stream = local ? QueryTransport.AXON_IPC_STREAM : QueryTransport.AXON_STREAM;
        SessionKey key = new SessionKey(caller.address(), target, channel);
        CompletableFuture<Response> result = new CompletableFuture<>();
        Observer watching = observer;
        if (watching != null) {
            result.thenAccept(r -> watching.ended(netuid, target, r.status(), r.roundTripNanos()));
        }
        session(caller, target, key, channel, stream, netuid, deadline).whenComplete((session, failure) -> {
            if (failure != null) {
                int status = failure instanceof Refused r ? r.status
                        : failure.getCause() instanceof Refused r ? r.status : Status.OVERLOADED;
                counters.refused.incrementAndGet();
                result.complete(Response.unanswered(status, System.nanoTime() - start));
                return;
            }
            send(session, key, netuid, body, deadline, start, result);
            (local ? counters.overIpc : counters.overUdp).incrementAndGet();
        });
        return result;
    }

    private CompletableFuture<ClientSession> session(Keypair caller, Address target, SessionKey key, String channel,
                                                     int stream, int netuid, long deadline) {
        CompletableFuture<ClientSession> opening = new CompletableFuture<>();
        while (true) { // another thread may open, fail or forget the session between our look and our move
            CompletableFuture<ClientSession> existing = sessions.get(key);
            if (existing != null && !existing.isCompletedExceptionally()) {
                return existing;
            }
            if (existing == null ? sessions.putIfAbsent(key, opening) == null : sessions.replace(key, existing, opening)) {
                break;
            }
        }
        Publication publication = publication(channel, stream);
        SessionCrypto.Ephemeral ephemeral = SessionCrypto.ephemeral();
        long correlation = correlations.incrementAndGet();
        boolean local = channel.equals(QueryTransport.IPC);
        ExpandableArrayBuffer hello = new ExpandableArrayBuffer(512);
        int signedLength = HelloFlyweight.encode(hello, 0, correlation, System.currentTimeMillis(), nonces.nextLong(),
                caller.address(), target, ephemeral.publicKey(), netuid,
                local ? QueryTransport.IPC : ownReplyChannel(), local ? QueryTransport.DENDRITE_IPC_STREAM
                        : QueryTransport.DENDRITE_STREAM);
        byte[] signed = new byte[signedLength];
        hello.getBytes(0, signed);
        hello.putBytes(signedLength, caller.sign(signed));
        hellos.put(correlation, new PendingHello(opening, ephemeral, SessionCrypto.sha256(signed), target, publication,
                deadline, key));
        if (!outbox.send(publication, hello, 0, signedLength + HelloFlyweight.SIGNATURE_LENGTH)) {
            hellos.remove(correlation);
            sessions.remove(key, opening);
            opening.completeExceptionally(new Refused(Status.OVERLOADED));
        }
        return opening;
    }

    private void send(ClientSession session, SessionKey key, int netuid, byte[] body, long deadline, long start,
                      CompletableFuture<Response> result) {
        long correlation = correlations.incrementAndGet();
        queries.put(correlation, new PendingQuery(result, deadline, start, session, key));
        RequestFlyweight out = OUT.get().netuid(netuid).correlationId(correlation).sessionId(session.id).deadline(deadline);
        boolean sent;
        // one session's nonces must leave in order: assign and send under the session's lock
        synchronized (session) {
            int length = out.nonce(++session.nonce).timestamp(System.currentTimeMillis()).seal(body, session.mac);
            sent = outbox.send(session.publication, out.buffer(), 0, length);
        }
        counters.sent.incrementAndGet();
        if (!sent && queries.remove(correlation) != null) {
            result.complete(Response.unanswered(Status.OVERLOADED, System.nanoTime() - start));
        }
    }

    // ----------------------------------------------------------------------------------- poller side

    int poll() {
        int work = outbox.retry() + frames.poll(subscriptions);
        long now = System.nanoTime();
        if (now >= nextExpiryScan) {
            nextExpiryScan = now + EXPIRY_SCAN_NANOS;
            work += expire(System.currentTimeMillis());
        }
        return work;
    }

    /**
     * A HELLO_ACK counts only when the miner we meant signed it over our HELLO, refusals included: anyone can
     * send a frame to our reply channel, and an unsigned refusal would let them cut us off from a miner.
     * Anything else is dropped and counted, and the HELLO waits for the real answer or its deadline.
     */
    private void onAck(DirectBuffer buffer, int offset, int length, Image image) {
        long correlation = FrameHeader.correlationId(buffer, offset);
        PendingHello hello = hellos.get(correlation);
        if (hello == null) {
            counters.dropped.incrementAndGet();
            return;
        }
        byte[] signed = HelloAckFlyweight.signedBytes(hello.helloHash(), buffer, offset);
        if (!Keypair.verify(hello.target(), signed, HelloAckFlyweight.signature(buffer, offset))) {
            counters.forgedAcks.incrementAndGet(); // not the miner we meant
            return;
        }
        if (hellos.remove(correlation) == null) {
            return;
        }
        int status = FrameHeader.status(buffer, offset);
        if (status != Status.OK) {
            fail(hello, status);
            return;
        }
        try {
            byte[] key = SessionCrypto.sessionKey(hello.ephemeral().privateKey(), HelloAckFlyweight.ephemeral(buffer, offset),
                    signed);
            counters.sessionsOpened.incrementAndGet();
            hello.future().complete(new ClientSession(FrameHeader.sessionId(buffer, offset), key, hello.publication(),
                    image.correlationId()));
        } catch (GeneralSecurityException e) {
            fail(hello, Status.UNAUTHORIZED);
        }
    }

    private void fail(PendingHello hello, int status) {
        sessions.remove(hello.key(), hello.future());
        hello.future().completeExceptionally(new Refused(status));
    }

    private void onResponse(DirectBuffer buffer, int offset, int length) {
        long correlation = FrameHeader.correlationId(buffer, offset);
        if (correlation == SESSION_ENDED) {
            onSessionEnded(buffer, offset, length);
            return;
        }
        PendingQuery pending = queries.get(correlation);
        int bodyLength = FrameHeader.bodyLength(buffer, offset);
        if (pending == null || bodyLength < 0 || length != ResponseFlyweight.HEADER_LENGTH + bodyLength
                || FrameHeader.sessionId(buffer, offset) != pending.session().id
                || !pending.session().mac.valid(ResponseFlyweight.MAC_DOMAIN, buffer, offset, ResponseFlyweight.MAC_OFFSET)
                || !BodyHash.get().matches(buffer, offset + ResponseFlyweight.HEADER_LENGTH, bodyLength,
                offset + ResponseFlyweight.BODY_HASH_OFFSET)) {
            counters.dropped.incrementAndGet();
            return;
        }
        byte[] body = new byte[bodyLength];
        buffer.getBytes(offset + ResponseFlyweight.HEADER_LENGTH, body);
        if (queries.remove(correlation) == null) {
            return;
        }
        int status = FrameHeader.status(buffer, offset);
        if (status == Status.UNAUTHORIZED) {
            forget(pending.key(), pending.session());
        }
        counters.answered.incrementAndGet();
        pending.future().complete(new Response(status, body, ResponseFlyweight.processingMicros(buffer, offset),
                System.nanoTime() - pending.startNanos()));
    }

    /**
     * The axon replaced one of our sessions to keep its bounds (a RESPONSE of correlation id 0, under the
     * session's key): the next query opens a new one. Queries already sent on it end at their deadline.
     */
    private void onSessionEnded(DirectBuffer buffer, int offset, int length) {
        long id = FrameHeader.sessionId(buffer, offset);
        for (Map.Entry<SessionKey, CompletableFuture<ClientSession>> e : sessions.entrySet()) {
            ClientSession s = e.getValue().getNow(null);
            if (s != null && s.id == id && length == ResponseFlyweight.HEADER_LENGTH
                    && s.mac.valid(ResponseFlyweight.MAC_DOMAIN, buffer, offset, ResponseFlyweight.MAC_OFFSET)) {
                if (sessions.remove(e.getKey(), e.getValue())) {
                    counters.sessionsEnded.incrementAndGet();
                }
                return;
            }
        }
        counters.dropped.incrementAndGet();
    }

    private void forget(SessionKey key, ClientSession session) {
        CompletableFuture<ClientSession> s = sessions.get(key);
        if (s != null && s.getNow(null) == session) {
            sessions.remove(key, s); // the next query opens a new session
        }
    }

    /**
     * An axon's reply publication to this node has ended, so the sessions it acknowledged are gone at the axon
     * (stopped, restarted, or recycled). Their next queries open new ones; queries already sent on them end at
     * their deadline. Called by Aeron's client conductor (its own thread, or any thread waiting in
     * {@code addPublication}); it touches only {@code sessions}, a concurrent map.
     */
    private void onReplyImageGone(Image image) {
        long gone = image.correlationId();
        for (Map.Entry<SessionKey, CompletableFuture<ClientSession>> e : sessions.entrySet()) {
            ClientSession s = e.getValue().getNow(null);
            if (s != null && s.replyImage == gone
                    && sessions.remove(e.getKey(), e.getValue())) {
                counters.sessionsLost.incrementAndGet();
            }
        }
    }

    private int expire(long nowMillis) {
        int expired = 0;
        for (Iterator<Map.Entry<Long, PendingQuery>> it = queries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, PendingQuery> e = it.next();
            if (e.getValue().deadlineMillis() < nowMillis && queries.remove(e.getKey()) != null) {
                counters.timedOut.incrementAndGet();
                PendingQuery p = e.getValue();
                p.future().complete(Response.unanswered(Status.TIMEOUT, System.nanoTime() - p.startNanos()));
                expired++;
            }
        }
        for (Iterator<Map.Entry<Long, PendingHello>> it = hellos.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, PendingHello> e = it.next();
            if (e.getValue().deadlineMillis() < nowMillis && hellos.remove(e.getKey()) != null) {
                fail(e.getValue(), Status.TIMEOUT);
                expired++;
            }
        }
        return expired;
    }

    /** Completes everything still pending with 503: the transport is closing. */
    void failPending() {
        for (Long c : queries.keySet()) {
            PendingQuery p = queries.remove(c);
            if (p != null) {
                p.future().complete(Response.unanswered(Status.OVERLOADED, 0));
            }
        }
        for (Long c : hellos.keySet()) {
            PendingHello h = hellos.remove(c);
            if (h != null) {
                fail(h, Status.OVERLOADED);
            }
        }
    }

    private String ownReplyChannel() {
        return QueryTransport.udp(endpoint);
    }

    private Publication publication(String channel, int stream) {
        return publications.computeIfAbsent(channel + "#" + stream, k -> aeron.addPublication(channel, stream));
    }
}
