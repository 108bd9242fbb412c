package io.cortex.ledger.actor;

import io.cortex.ledger.actor.LedgerViews.Missing;
import io.cortex.ledger.actor.LedgerViews.SubnetAnswer;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.state.Subnet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A subnet's metagraph a page at a time, so that no message between nodes carries a 32,768-uid subnet. A reader
 * asks for the first page at the latest block and for the others at that page's block: the metagraph of a block
 * whose first page said more pages follow is held, the last {@link #HELD} of them, so that every page of one
 * reading comes from one block while blocks go on. A one-page reading holds nothing.
 */
final class MetagraphPages {
    /** The most neurons in a page. */
    static final int MOST = LedgerActor.GetMetagraphPage.MOST;
    /** Metagraphs held for readers still paging through them. */
    static final int HELD = 8;

    private record Key(int netuid, long block) {
    }

    private final Map<Key, Metagraph> held = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Metagraph> eldest) {
            return size() > HELD;
        }
    };

    SubnetAnswer page(LedgerState state, LedgerActor.GetMetagraphPage g) {
        Subnet subnet = state.subnet(g.netuid());
        if (subnet == null || subnet.isRoot()) {
            return new Missing("no subnet " + g.netuid());
        }
        if (g.fromUid() < 0 || g.limit() < 1) {
            return new Missing("a page starts at a uid of 0 or more and holds at least one neuron, not from "
                    + g.fromUid() + " with limit " + g.limit());
        }
        long block = g.atBlock() < 0 ? state.height() : g.atBlock();
        Key key = new Key(g.netuid(), block);
        Metagraph whole = held.get(key);
        if (whole == null && block != state.height()) {
            return new LedgerViews.Overtaken("the metagraph of block " + block + " is no longer held (the ledger is "
                    + "at block " + state.height() + ", and other readings came between): read it again");
        }
        int n = whole != null ? whole.neurons().size() : subnet.size();
        int from = Math.min(g.fromUid(), n);
        int to = from + Math.min(Math.min(g.limit(), MOST), n - from);
        if (whole == null && (g.hold() || g.atBlock() >= 0) && to < n) { // a reading that goes on: its next pages read the same
            whole = Metagraph.of(state, g.netuid());
            held.put(key, whole);
        }
        // a reading of one page builds that page alone
        return new LedgerViews.MetagraphPage(whole != null ? whole.slice(from, to) : Metagraph.of(state, g.netuid(), from, to), n);
    }
}
