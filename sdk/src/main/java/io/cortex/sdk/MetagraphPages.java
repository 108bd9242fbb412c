package io.cortex.sdk;

import io.cortex.protocol.api.Metagraph;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** The API's paged metagraph ({@code Ledger.Metagraph}, a stream of pages) put back together. */
public final class MetagraphPages {
    private MetagraphPages() {
    }

    /**
     * A paged reading, read again once if blocks overtook it (ABORTED: the ledger no longer held the metagraph of
     * the block its first page came from, after many other readings came between).
     */
    public static <T> CompletionStage<T> readingOnceMore(Supplier<CompletionStage<T>> reading) {
        return reading.get().exceptionallyCompose(failure -> overtaken(failure) ? reading.get()
                : CompletableFuture.failedFuture(failure));
    }

    private static boolean overtaken(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.ABORTED;
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
