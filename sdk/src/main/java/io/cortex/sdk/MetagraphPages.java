package io.cortex.sdk;

import io.cortex.protocol.api.Metagraph;
import java.util.List;

/** The API's paged metagraph ({@code Ledger.Metagraph}, a stream of pages) put back together. */
public final class MetagraphPages {
    private MetagraphPages() {
    }

    /**
     * The pages of a {@code Metagraph} stream as one message: the first page's header with every page's neurons.
     * Pages must all come from one block (the node reads them so); anything else is refused.
     */
    public static Metagraph joined(List<Metagraph> pages) {
        if (pages.isEmpty()) {
            throw new IllegalStateException("the node sent no page of the metagraph");
        }
        Metagraph.Builder whole = pages.get(0).toBuilder();
        for (Metagraph page : pages.subList(1, pages.size())) {
            if (page.getBlock() != whole.getBlock()) {
                throw new IllegalStateException("metagraph pages of blocks " + whole.getBlock() + " and " + page.getBlock());
            }
            whole.addAllNeurons(page.getNeuronsList());
        }
        return whole.build();
    }
}
