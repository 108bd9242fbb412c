package io.cortex.protocol.aeron;

import io.aeron.Publication;
import io.cortex.core.identity.Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The axon's sessions, bounded so that no caller can crowd out another (issue 14). Registration is
 * permissionless, so no bound rests on it: a registered caller signing HELLOs as fast as it can only ever
 * replaces its own sessions.
 * <ul>
 *   <li>at most {@link #PER_PAIR} sessions between one caller and one miner: a new one replaces the pair's
 *       least recently used;</li>
 *   <li>at most {@link #CHANNELS_PER_CALLER} reply channels per caller: a HELLO naming another one replaces
 *       the caller's sessions on its least recently used channel;</li>
 *   <li>at most {@code capacity} sessions in all: a new one replaces the least recently used of the whole
 *       table, never the whole table;</li>
 *   <li>a pair's HELLOs: a nonce it has used in the last two freshness windows is a replay, and at most
 *       {@link #HELLOS_PER_PAIR} sessions may open per pair in that time (429 beyond).</li>
 * </ul>
 * "Used" means opened or carried an authenticated request. Every replaced session goes to the eviction
 * callback, which tells its caller. Poller-thread only.
 */
final class AxonSessions {
    static final int PER_PAIR = 4;
    static final int CHANNELS_PER_CALLER = 2;
    static final int HELLOS_PER_PAIR = 16;

    /** An open session: poller-only state but for the key and publication, which responders read. */
    static final class Session {
        final long id;
        final Address caller;
        final Address target;
        final int netuid;
        /** The session's MAC key, for checking requests and signing answers from any thread. */
        final SessionMac mac;
        final Publication reply;
        final String replyKey;
        final Pair pair;
        long lastNonce = Long.MIN_VALUE;
        long lastUsed;
        Session newer;
        Session older;
        boolean open = true;

        Session(long id, Address caller, Address target, int netuid, byte[] key, Publication reply, String replyKey, Pair pair) {
            this.id = id;
            this.caller = caller;
            this.target = target;
            this.netuid = netuid;
            this.mac = new SessionMac(key);
            this.reply = reply;
            this.replyKey = replyKey;
            this.pair = pair;
        }
    }

    private record PairKey(Address caller, Address target) {
    }

    /** One caller and one miner: their sessions, and the HELLOs that opened them (a ring, oldest first). */
    static final class Pair {
        final PairKey key;
        final List<Session> sessions = new ArrayList<>(PER_PAIR);
        final long[] helloNonces = new long[HELLOS_PER_PAIR];
        final long[] helloTimes = new long[HELLOS_PER_PAIR];
        int hellos;
        int nextHello;

        Pair(PairKey key) {
            this.key = key;
        }
    }

    private final int capacity;
    private final long replayWindowMillis;
    private final Consumer<Session> evicted;
    private final Long2ObjectHashMap<Session> byId = new Long2ObjectHashMap<>();
    private final Map<PairKey, Pair> pairs = new HashMap<>();
    private final Map<Address, List<Pair>> pairsByCaller = new HashMap<>();
    private Session leastRecent;
    private Session mostRecent;
    private long clock;

    /**
     * @param freshnessMillis how far a HELLO's timestamp may be from the axon's clock; its nonce is kept twice
     *                        that long, the longest a fresh copy of it could arrive
     */
    AxonSessions(int capacity, long freshnessMillis, Consumer<Session> evicted) {
        this.capacity = capacity;
        this.replayWindowMillis = 2 * freshnessMillis;
        this.evicted = evicted;
    }

    int size() {
        return byId.size();
    }

    Session get(long id) {
        return byId.get(id);
    }

    /** An authenticated request used the session: it is the last to go. */
    void touch(Session s) {
        s.lastUsed = ++clock;
        if (s == mostRecent) {
            return;
        }
        unlink(s);
        link(s);
    }

    /** What a HELLO's pair says of it before its signature is checked. */
    enum HelloCheck { FRESH, REPLAYED, OVER_BUDGET }

    HelloCheck check(Address caller, Address target, long nonce, long nowMillis) {
        Pair p = pairs.get(new PairKey(caller, target));
        if (p == null) {
            return HelloCheck.FRESH;
        }
        for (int i = 0; i < p.hellos; i++) {
            if (p.helloNonces[i] == nonce && nowMillis - p.helloTimes[i] <= replayWindowMillis) {
                return HelloCheck.REPLAYED;
            }
        }
        if (p.hellos == HELLOS_PER_PAIR && nowMillis - p.helloTimes[p.nextHello] <= replayWindowMillis) {
            return HelloCheck.OVER_BUDGET; // the oldest of the last HELLOS_PER_PAIR is still within the window
        }
        return HelloCheck.FRESH;
    }

    /**
     * Opens a session for a HELLO that passed every check, recording its nonce; replaces what the bounds
     * require first.
     */
    Session open(long id, Address caller, Address target, int netuid, byte[] key, Publication reply, String replyKey,
                 long nonce, long nowMillis) {
        PairKey pk = new PairKey(caller, target);
        Pair pair = pairs.computeIfAbsent(pk, k -> {
            Pair p = new Pair(k);
            pairsByCaller.computeIfAbsent(caller, c -> new ArrayList<>()).add(p);
            return p;
        });
        pair.helloNonces[pair.nextHello] = nonce;
        pair.helloTimes[pair.nextHello] = nowMillis;
        pair.nextHello = (pair.nextHello + 1) % HELLOS_PER_PAIR;
        pair.hellos = Math.min(HELLOS_PER_PAIR, pair.hellos + 1);

        if (pair.sessions.size() >= PER_PAIR) {
            evict(leastRecentOf(pair.sessions));
        }
        boundChannels(caller, replyKey);
        while (byId.size() >= capacity && leastRecent != null) {
            evict(leastRecent);
        }
        Session s = new Session(id, caller, target, netuid, key, reply, replyKey, pair);
        s.lastUsed = ++clock;
        byId.put(id, s);
        pair.sessions.add(s);
        link(s);
        return s;
    }

    /** A caller names a reply channel: past its channel bound, its sessions on the least recent one go. */
    private void boundChannels(Address caller, String replyKey) {
        Map<String, Long> lastUse = new HashMap<>();
        for (Pair p : pairsByCaller.getOrDefault(caller, List.of())) {
            for (Session s : p.sessions) {
                lastUse.merge(s.replyKey, s.lastUsed, Math::max);
            }
        }
        if (lastUse.containsKey(replyKey) || lastUse.size() < CHANNELS_PER_CALLER) {
            return;
        }
        String oldest = lastUse.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        for (Pair p : List.copyOf(pairsByCaller.get(caller))) {
            for (Session s : List.copyOf(p.sessions)) {
                if (s.replyKey.equals(oldest)) {
                    evict(s);
                }
            }
        }
    }

    /** A reply channel was closed: its sessions are over (their callers' reply image ends). Not evictions. */
    void removeOnChannel(String replyKey) {
        List<Session> gone = new ArrayList<>();
        for (Session s = leastRecent; s != null; s = s.newer) {
            if (s.replyKey.equals(replyKey)) {
                gone.add(s);
            }
        }
        gone.forEach(this::remove);
    }

    /** Every session, for shutting down. */
    void clear() {
        List.copyOf(byId.values()).forEach(this::remove);
    }

    private void evict(Session s) {
        remove(s);
        evicted.accept(s);
    }

    private void remove(Session s) {
        if (!s.open) {
            return;
        }
        s.open = false;
        byId.remove(s.id);
        unlink(s);
        s.pair.sessions.remove(s); // the pair stays for its HELLO nonces until expirePairs forgets it
    }

    private void forget(Pair p) {
        pairs.remove(p.key);
        List<Pair> ofCaller = pairsByCaller.get(p.key.caller());
        if (ofCaller != null) {
            ofCaller.remove(p);
            if (ofCaller.isEmpty()) {
                pairsByCaller.remove(p.key.caller());
            }
        }
    }

    /**
     * Forgets pairs with no session whose HELLOs are all older than the replay window: nothing of them is
     * needed any more. Called now and then by the axon, so that the pair table is bounded by the HELLOs of
     * the last window.
     */
    int expirePairs(long nowMillis) {
        List<Pair> stale = new ArrayList<>();
        for (Pair p : pairs.values()) {
            if (p.sessions.isEmpty()) {
                int newest = (p.nextHello + HELLOS_PER_PAIR - 1) % HELLOS_PER_PAIR;
                if (p.hellos == 0 || nowMillis - p.helloTimes[newest] > replayWindowMillis) {
                    stale.add(p);
                }
            }
        }
        stale.forEach(this::forget);
        return stale.size();
    }

    int pairs() {
        return pairs.size();
    }

    private static Session leastRecentOf(List<Session> sessions) {
        Session least = null;
        for (Session s : sessions) {
            if (least == null || s.lastUsed < least.lastUsed) {
                least = s;
            }
        }
        return least;
    }

    private void link(Session s) {
        s.older = mostRecent;
        s.newer = null;
        if (mostRecent != null) {
            mostRecent.newer = s;
        }
        mostRecent = s;
        if (leastRecent == null) {
            leastRecent = s;
        }
    }

    private void unlink(Session s) {
        if (s.older != null) {
            s.older.newer = s.newer;
        } else if (leastRecent == s) {
            leastRecent = s.newer;
        }
        if (s.newer != null) {
            s.newer.older = s.older;
        } else if (mostRecent == s) {
            mostRecent = s.older;
        }
        s.older = null;
        s.newer = null;
    }
}
