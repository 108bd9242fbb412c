package io.cortex.protocol.aeron;

import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.cortex.protocol.identity.Address;
import io.cortex.protocol.identity.Keypair;
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
 * <p>Frames are handled on the node's poller thread; a handler must not block it (actors just tell).
 * {@link Responder#respond} may be called from any thread, once.
 */
public final class Axon {
    /** What a miner does with a request: answer through the responder, from any thread, without blocking. */
    @FunctionalInterface
    public interface RequestHandler {
        void onRequest(Request request, Responder responder);
    }

    /** Who may query a miner: callers must be registered on the subnet (else 401). */
    @FunctionalInterface
    public interface CallerPolicy {
        boolean admits(int netuid, Address caller);
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
        public final AtomicLong unauthorized = new AtomicLong();
        public final AtomicLong tooLarge = new AtomicLong();
        public final AtomicLong overloaded = new AtomicLong();
        public final AtomicLong noSuchMiner = new AtomicLong();
        public final AtomicLong expired = new AtomicLong();
        public final AtomicLong dropped = new AtomicLong();
        public final AtomicLong handlerInvocations = new AtomicLong();
        public final AtomicLong sendFailures = new AtomicLong();

        /** Frames that came to an end: opened a session, reached the model, or were refused or dropped. */
        public long outcomes() {
            return sessionsOpened.get() + handlerInvocations.get() + unauthorized.get() + tooLarge.get()
                    + overloaded.get() + noSuchMiner.get() + expired.get() + dropped.get();
        }

        @Override
        public String toString() {
            return "received=" + received + " sessions=" + sessionsOpened + " served=" + served + " 401=" + unauthorized + " 413=" + tooLarge
                    + " 503=" + overloaded + " 404=" + noSuchMiner + " 408=" + expired + " dropped=" + dropped;
        }
    }

    private record Target(Address hotkey, Keypair keys, RequestHandler handler, CallerPolicy policy,
                          AtomicInteger inFlight) {
    }

    /** An open session: poller-only state but for the key and publication, which responders read. */
    private static final class Session {
        final long id;
        final Address caller;
        final Address target;
        final int netuid;
        final byte[] key;
        final Publication reply;
        /** The reply publication's key in {@code publications}, touched by every authenticated request. */
        final String replyKey;
        long lastNonce = Long.MIN_VALUE;

        Session(long id, Address caller, Address target, int netuid, byte[] key, Publication reply, String replyKey) {
            this.id = id;
            this.caller = caller;
            this.target = target;
            this.netuid = netuid;
            this.key = key;
            this.reply = reply;
            this.replyKey = replyKey;
        }
    }

    /** A message being reassembled from Aeron fragments, bounded by the maximum frame. */
    private static final class Partial {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        int length;
        boolean discard;
    }

    private static final int MAX_SESSIONS = 100_000;
    /** Distinct reply channels kept open; each holds a log buffer, so they are few and recycled. */
    static final int MAX_REPLY_CHANNELS = 1024;
    private static final ThreadLocal<ExpandableArrayBuffer> OUT = ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(4096));

    private final Aeron aeron;
    private final QueryTransport.Context context;
    private final List<Subscription> subscriptions;
    private final Map<Address, Target> targets = new ConcurrentHashMap<>();
    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();
    /** Reply publications by channel and stream, least recently used first, at most {@link #MAX_REPLY_CHANNELS}. */
    private final Map<String, Publication> publications = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Publication> eldest) {
            if (size() <= MAX_REPLY_CHANNELS) {
                return false;
            }
            Publication gone = eldest.getValue();
            // closing it ends the callers' reply image, so their dendrites open new sessions
            sessions.values().removeIf(s -> s.reply == gone);
            gone.close();
            return true;
        }
    };
    /** Messages being reassembled, by image (an Aeron session id alone may repeat across senders and streams). */
    private final Long2ObjectHashMap<Partial> partials = new Long2ObjectHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Counters counters = new Counters();
    private final UnsafeBuffer ackBuffer = new UnsafeBuffer(new byte[HelloAckFlyweight.LENGTH]);
    private final int maxFrame;
    private final Outbox outbox = new Outbox();

    Axon(Aeron aeron, QueryTransport.Context context, List<Subscription> subscriptions) {
        this.aeron = aeron;
        this.context = context;
        this.subscriptions = subscriptions;
        this.maxFrame = RequestFlyweight.HEADER_LENGTH + context.maxBodyBytes();
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

    public Counters counters() {
        return counters;
    }

    int poll() {
        int work = outbox.retry();
        for (Subscription s : subscriptions) {
            work += s.poll(this::onFragment, 16);
        }
        return work;
    }

    // ----------------------------------------------------------------------------------- reassembly

    private void onFragment(DirectBuffer buffer, int offset, int length, Header header) {
        byte flags = header.flags();
        if ((flags & FrameDescriptor.UNFRAGMENTED) == FrameDescriptor.UNFRAGMENTED) {
            onMessage(buffer, offset, length);
            return;
        }
        long image = ((Image) header.context()).correlationId();
        if ((flags & FrameDescriptor.BEGIN_FRAG_FLAG) != 0) {
            Partial p = partials.computeIfAbsent(image, i -> new Partial());
            p.length = 0;
            p.discard = false;
            if (length >= RequestFlyweight.HEADER_LENGTH && FrameHeader.type(buffer, offset) == FrameHeader.TYPE_REQUEST
                    && RequestFlyweight.bodyLength(buffer, offset) > context.maxBodyBytes()) {
                // refuse from the first fragment: the rest of this message is never kept
                p.discard = true;
                tooLarge(buffer, offset);
                return;
            }
            append(p, buffer, offset, length);
            return;
        }
        Partial p = partials.get(image);
        if (p == null) {
            counters.dropped.incrementAndGet(); // a middle or end without its beginning
            return;
        }
        if (!p.discard) {
            append(p, buffer, offset, length);
        }
        if ((flags & FrameDescriptor.END_FRAG_FLAG) != 0) {
            partials.remove(image);
            if (!p.discard) {
                onMessage(p.buffer, 0, p.length);
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

    private void onMessage(DirectBuffer buffer, int offset, int length) {
        counters.received.incrementAndGet();
        if (length < 2 || FrameHeader.version(buffer, offset) != FrameHeader.VERSION) {
            counters.dropped.incrementAndGet();
            return;
        }
        switch (FrameHeader.type(buffer, offset)) {
            case FrameHeader.TYPE_HELLO -> onHello(buffer, offset, length);
            case FrameHeader.TYPE_REQUEST -> onRequest(buffer, offset, length);
            default -> counters.dropped.incrementAndGet();
        }
    }

    /**
     * A HELLO opens a session if its caller is admitted and proves it with a fresh signature. Refusals (404,
     * 401) are answered only on a reply channel the axon already publishes to: a publication (megabytes of
     * log buffer) is made only for a HELLO that opens a session, so forged HELLOs naming arbitrary reply
     * channels can neither use the axon to send to third parties nor make it allocate; they are counted.
     */
    private void onHello(DirectBuffer buffer, int offset, int length) {
        if (!HelloFlyweight.wellFormed(buffer, offset, length)) {
            counters.dropped.incrementAndGet();
            return;
        }
        String replyChannel = HelloFlyweight.replyChannel(buffer, offset);
        int replyStream = HelloFlyweight.replyStream(buffer, offset);
        String replyKey = publicationKey(replyChannel, replyStream);
        if (!acceptableReplyChannel(replyChannel)) {
            counters.dropped.incrementAndGet();
            return;
        }
        long correlation = HelloFlyweight.correlationId(buffer, offset);
        long now = System.currentTimeMillis();
        Address caller = HelloFlyweight.caller(buffer, offset);
        Address targetKey = HelloFlyweight.target(buffer, offset);
        int netuid = HelloFlyweight.netuid(buffer, offset);
        Target target = targets.get(targetKey);
        if (target == null) {
            counters.noSuchMiner.incrementAndGet();
            refuseHello(publications.get(replyKey), Status.NO_SUCH_MINER, correlation);
            return;
        }
        if (Math.abs(now - HelloFlyweight.timestamp(buffer, offset)) > context.freshnessMillis()
                || !target.policy().admits(netuid, caller)
                || !Keypair.verify(caller, HelloFlyweight.signedBytes(buffer, offset), HelloFlyweight.signature(buffer, offset))) {
            counters.unauthorized.incrementAndGet();
            refuseHello(publications.get(replyKey), Status.UNAUTHORIZED, correlation);
            return;
        }
        if (sessions.size() >= MAX_SESSIONS) {
            forgetAllSessions();
        }
        Publication reply = publication(replyChannel, replyStream, replyKey);
        if (reply == null) {
            counters.dropped.incrementAndGet();
            return;
        }
        SessionCrypto.Ephemeral ephemeral = SessionCrypto.ephemeral();
        long sessionId = random.nextLong() & Long.MAX_VALUE | 1;
        HelloAckFlyweight.encode(ackBuffer, 0, Status.OK, correlation, sessionId, ephemeral.publicKey());
        byte[] helloHash = SessionCrypto.sha256(HelloFlyweight.signedBytes(buffer, offset));
        byte[] signed = HelloAckFlyweight.signedBytes(helloHash, ackBuffer, 0);
        byte[] key;
        try {
            key = SessionCrypto.sessionKey(ephemeral.privateKey(), HelloFlyweight.ephemeral(buffer, offset), signed);
        } catch (GeneralSecurityException e) {
            counters.unauthorized.incrementAndGet();
            refuseHello(reply, Status.UNAUTHORIZED, correlation);
            return;
        }
        ackBuffer.putBytes(HelloAckFlyweight.SIGNATURE_OFFSET, target.keys().sign(signed));
        sessions.put(sessionId, new Session(sessionId, caller, targetKey, netuid, key, reply, replyKey));
        counters.sessionsOpened.incrementAndGet();
        outbox.send(reply, ackBuffer, 0, HelloAckFlyweight.LENGTH);
    }

    /**
     * The session table is full: every session goes, with every reply publication, whose end tells each
     * caller's dendrite to open a new session (a session kept without its publication would time out).
     */
    private void forgetAllSessions() {
        sessions.clear();
        List<Publication> open = List.copyOf(publications.values());
        publications.clear();
        open.forEach(Publication::close);
    }

    /** Answers a refused HELLO, where its reply channel is already known (see {@link #onHello}). */
    private void refuseHello(Publication reply, int status, long correlation) {
        if (reply == null) {
            return;
        }
        HelloAckFlyweight.encode(ackBuffer, 0, status, correlation, 0, null);
        outbox.send(reply, ackBuffer, 0, HelloAckFlyweight.LENGTH);
    }

    private void onRequest(DirectBuffer buffer, int offset, int length) {
        if (length < RequestFlyweight.HEADER_LENGTH) {
            counters.dropped.incrementAndGet();
            return;
        }
        Session session = sessions.get(RequestFlyweight.sessionId(buffer, offset));
        if (session == null) {
            counters.dropped.incrementAndGet(); // no session, so no authenticated way to answer
            return;
        }
        long correlation = RequestFlyweight.correlationId(buffer, offset);
        int bodyLength = RequestFlyweight.bodyLength(buffer, offset);
        if (bodyLength > context.maxBodyBytes()) {
            tooLarge(buffer, offset);
            return;
        }
        if (!SessionCrypto.macValid(session.key, RequestFlyweight.MAC_DOMAIN, buffer, offset, RequestFlyweight.MAC_OFFSET)) {
            counters.unauthorized.incrementAndGet();
            send(session, correlation, Status.UNAUTHORIZED, 0, new byte[0]);
            return;
        }
        long now = System.currentTimeMillis();
        long nonce = RequestFlyweight.nonce(buffer, offset);
        if (nonce <= session.lastNonce || Math.abs(now - RequestFlyweight.timestamp(buffer, offset)) > context.freshnessMillis()
                || bodyLength < 0 || length != RequestFlyweight.HEADER_LENGTH + bodyLength) {
            counters.unauthorized.incrementAndGet();
            send(session, correlation, Status.UNAUTHORIZED, 0, new byte[0]);
            return;
        }
        byte[] bodyHash = SessionCrypto.sha256(buffer, offset + RequestFlyweight.HEADER_LENGTH, bodyLength);
        byte[] declared = new byte[32];
        buffer.getBytes(offset + RequestFlyweight.BODY_HASH_OFFSET, declared);
        if (!java.security.MessageDigest.isEqual(bodyHash, declared)) {
            counters.unauthorized.incrementAndGet();
            send(session, correlation, Status.UNAUTHORIZED, 0, new byte[0]);
            return;
        }
        session.lastNonce = nonce;
        publications.get(session.replyKey); // in use: the least recently used channels are the ones recycled
        long deadline = RequestFlyweight.deadline(buffer, offset);
        if (deadline < now) {
            counters.expired.incrementAndGet();
            send(session, correlation, Status.TIMEOUT, 0, new byte[0]);
            return;
        }
        Target target = targets.get(session.target);
        if (target == null) {
            counters.noSuchMiner.incrementAndGet();
            send(session, correlation, Status.NO_SUCH_MINER, 0, new byte[0]);
            return;
        }
        if (target.inFlight().incrementAndGet() > context.maxInFlight) {
            target.inFlight().decrementAndGet();
            counters.overloaded.incrementAndGet();
            send(session, correlation, Status.OVERLOADED, 0, new byte[0]);
            return;
        }
        byte[] body = new byte[bodyLength];
        buffer.getBytes(offset + RequestFlyweight.HEADER_LENGTH, body);
        Request request = new Request(session.caller, session.target, RequestFlyweight.netuid(buffer, offset), correlation,
                body, deadline);
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
                    send(session, correlation, status, micros, answer == null ? new byte[0] : answer);
                }
            });
        } catch (RuntimeException e) {
            if (answered.compareAndSet(false, true)) {
                target.inFlight().decrementAndGet();
                send(session, correlation, Status.MINER_ERROR, 0, new byte[0]);
            }
        }
    }

    private void tooLarge(DirectBuffer buffer, int offset) {
        counters.tooLarge.incrementAndGet();
        Session session = sessions.get(RequestFlyweight.sessionId(buffer, offset));
        if (session != null) {
            send(session, RequestFlyweight.correlationId(buffer, offset), Status.TOO_LARGE, 0, new byte[0]);
        }
    }

    /** Encodes, MACs and sends a response; safe from any thread. */
    private void send(Session session, long correlation, int status, int micros, byte[] body) {
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

}
