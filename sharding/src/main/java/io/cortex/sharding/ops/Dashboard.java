package io.cortex.sharding.ops;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.encodeResponse;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.parameter;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.cortex.protocol.api.EpochReply;
import io.cortex.protocol.api.EpochRequest;
import io.cortex.protocol.api.ExplainRequest;
import io.cortex.protocol.api.Ledger;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.StatusRequest;
import io.cortex.protocol.api.StreamRequest;
import io.cortex.protocol.api.SubnetsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The dashboard every node serves on its operations endpoint: a page ({@code /}, from the jar, with uPlot from
 * its webjar), and the JSON it reads — the public API's replies, printed as protobuf's canonical JSON exactly
 * as {@code cortex ... --json} prints them:
 * <ul>
 *   <li>{@code /api/status}, {@code /api/subnets}, {@code /api/subnet?netuid=N} (the metagraph),
 *   {@code /api/epoch?netuid=N[&epoch=E]}, {@code /api/explain?netuid=N&uid=U[&epoch=E]} (any epoch of the
 *   chain: the epoch archive);</li>
 *   <li>{@code /api/epochs?netuid=N[&last=K]}: the subnet's last K (16, at most 32) epochs' outputs and payouts;
 *   {@code /api/emission}: the last blocks' TAO into each subnet ({@link BlockHistory});
 *   {@code /api/queries?netuid=N}: what every node's validators saw of the subnet's miners
 *   ({@link MinerStatsService});</li>
 *   <li>{@code /api/feed}: every block and epoch as they happen, pushed as server-sent events
 *   ({@code block}, {@code epoch}), so the page never polls.</li>
 * </ul>
 */
public final class Dashboard {
    /** As the CLI's --json prints (Output.json): zeros and false included. */
    private static final JsonFormat.Printer JSON = JsonFormat.printer().includingDefaultValueFields()
            .omittingInsignificantWhitespace();

    private Dashboard() {
    }

    /** Epochs the subnet and neuron views chart at most. */
    static final int MAX_EPOCHS = 32;
    /** How long the dashboard waits for the other nodes' reports on a subnet's miners. */
    static final Duration GATHER = Duration.ofSeconds(5);

    public static Route route(ActorSystem<?> system, Ledger ledger, BlockHistory blocks) {
        return get(() -> concat(
                pathEndOrSingleSlash(() -> getFromResource("dashboard/index.html")),
                pathPrefix("dashboard", () -> getFromResourceDirectory("dashboard")),
                pathPrefix("webjars", () -> getFromResourceDirectory("META-INF/resources/webjars")),
                pathPrefix("api", () -> concat(
                        path("feed", () -> completeOK(ledger.blocks(StreamRequest.getDefaultInstance())
                                        .map(b -> ServerSentEvent.create(print(b), "block"))
                                        .merge(ledger.epochs(StreamRequest.getDefaultInstance())
                                                .map(e -> ServerSentEvent.create(print(e), "epoch")))
                                        .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat),
                                EventStreamMarshalling.toEventStream())),
                        encodeResponse(() -> replies(system, ledger, blocks))))));
    }

    /** The JSON the page reads, compressed when the browser accepts it (a 256-uid subnet's epochs are large). */
    private static Route replies(ActorSystem<?> system, Ledger ledger, BlockHistory blocks) {
        return concat(
                path("status", () -> json(ledger.status(StatusRequest.getDefaultInstance()))),
                path("subnets", () -> json(ledger.subnets(SubnetsRequest.getDefaultInstance()))),
                path("subnet", () -> parameter("netuid", netuid -> json(() -> number(netuid, n ->
                        ledger.subnet(NetuidRequest.newBuilder().setNetuid(n.intValue()).build()))))),
                path("epoch", () -> parameter("netuid", netuid -> parameterOptional("epoch", epoch ->
                        json(() -> number(netuid, n -> number(epoch.orElse("-1"), e -> ledger.epoch(EpochRequest.newBuilder()
                                .setNetuid(n.intValue()).setEpoch(e).build()))))))),
                path("explain", () -> parameter("netuid", netuid -> parameter("uid", uid -> parameterOptional("epoch", epoch ->
                        json(() -> number(netuid, n -> number(uid, u -> number(epoch.orElse("-1"), e ->
                                ledger.explain(ExplainRequest.newBuilder().setNetuid(n.intValue())
                                        .setUid(u.intValue()).setEpoch(e).build()))))))))),
                path("epochs", () -> parameter("netuid", netuid -> parameterOptional("last", last ->
                        text(() -> number(netuid, n -> number(last.orElse("16"), k ->
                                lastEpochs(system, ledger, n.intValue(), (int) Math.max(1, Math.min(MAX_EPOCHS, k))))))))),
                path("emission", () -> complete(HttpResponse.create().withEntity(HttpEntities.create(
                        ContentTypes.APPLICATION_JSON, DashboardData.json(blocks::write))))),
                path("queries", () -> parameter("netuid", netuid -> text(() -> number(netuid, n ->
                        MinerStatsService.gather(system, n.intValue(), GATHER).thenApplyAsync(reports ->
                                DashboardData.queries(n.intValue(), reports), system.executionContext()))))));
    }

    /**
     * The subnet's last {@code count} recorded epochs, oldest first; epochs no longer kept are left out. The
     * JSON is made on the node's dispatcher: the replies may complete on the ledger actor's own thread.
     */
    private static CompletionStage<String> lastEpochs(ActorSystem<?> system, Ledger ledger, int netuid, int count) {
        return ledger.epoch(EpochRequest.newBuilder().setNetuid(netuid).setEpoch(-1).build()).thenCompose(latest -> {
            List<CompletableFuture<EpochReply>> earlier = new ArrayList<>();
            for (long e = Math.max(0, latest.getEpoch() - count + 1); e < latest.getEpoch(); e++) {
                earlier.add(ledger.epoch(EpochRequest.newBuilder().setNetuid(netuid).setEpoch(e).build())
                        .toCompletableFuture().exceptionally(missing -> null));
            }
            return CompletableFuture.allOf(earlier.toArray(CompletableFuture[]::new)).thenApplyAsync(done -> {
                List<EpochReply> epochs = new ArrayList<>();
                for (CompletableFuture<EpochReply> e : earlier) {
                    if (e.join() != null) {
                        epochs.add(e.join());
                    }
                }
                epochs.add(latest);
                return DashboardData.epochs(epochs);
            }, system.executionContext());
        });
    }

    private static Route text(java.util.function.Supplier<CompletionStage<String>> reply) {
        try {
            return completeWithFuture(reply.get().handle((text, failure) -> failure == null
                    ? HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, text))
                    : error(failure)));
        } catch (GrpcServiceException e) {
            return complete(error(e));
        }
    }

    /** A parameter as a number, or a 400 naming it. */
    private static <T> CompletionStage<T> number(String value, Function<Long, CompletionStage<T>> then) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription("not a number: '" + value + "'"));
        }
        return then.apply(n);
    }

    private static Route json(CompletionStage<? extends MessageOrBuilder> reply) {
        return completeWithFuture(reply.handle((message, failure) -> failure == null
                ? HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, print(message)))
                : error(failure)));
    }

    private static Route json(java.util.function.Supplier<CompletionStage<? extends MessageOrBuilder>> reply) {
        try {
            return json(reply.get());
        } catch (GrpcServiceException e) {
            return complete(error(e));
        }
    }

    private static String print(MessageOrBuilder message) {
        try {
            return JSON.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A failed call as the HTTP status nearest its gRPC one, with its description. */
    private static HttpResponse error(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        Status status = cause instanceof GrpcServiceException g ? g.getStatus()
                : cause instanceof StatusRuntimeException s ? s.getStatus() : Status.INTERNAL.withDescription(cause.toString());
        StatusCode code = switch (status.getCode()) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> StatusCodes.BAD_REQUEST;
            case NOT_FOUND, FAILED_PRECONDITION -> StatusCodes.NOT_FOUND;
            case UNAVAILABLE, DEADLINE_EXCEEDED -> StatusCodes.SERVICE_UNAVAILABLE;
            default -> StatusCodes.INTERNAL_SERVER_ERROR;
        };
        return HttpResponse.create().withStatus(code).withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8,
                status.getDescription() == null ? status.getCode().toString() : status.getDescription()));
    }
}
