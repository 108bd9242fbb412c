package io.cortex.bench.query;

import com.typesafe.config.ConfigFactory;
import io.cortex.bench.query.grpc.Answer;
import io.cortex.bench.query.grpc.QueryBenchClient;
import io.cortex.bench.query.grpc.QueryBenchHandlerFactory;
import io.cortex.bench.query.grpc.Task;
import io.cortex.protocol.aeron.Axon;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.protocol.aeron.Status;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import io.cortex.subnets.compute.ComputeSubnet;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import com.google.protobuf.ByteString;

/**
 * The query benchmark's processes (bench/run-query-bench.sh starts them; see BENCHMARKS.md):
 * <pre>
 *   cortex-ipc                       one node: a validator queries a miner on its own node (Aeron IPC)
 *   cortex-serve PORT                a node whose axon serves a miner on UDP port PORT, until killed
 *   cortex-query PORT                a second node querying that miner across nodes (Aeron UDP)
 *   grpc-serve PORT                  the same miner behind a Pekko gRPC unary service, until killed
 *   grpc-query PORT                  a Pekko gRPC client calling it
 * </pre>
 * Every query carries one compute-subnet task (136 bytes) and gets its 8-byte answer, computed at once;
 * Cortex queries are authenticated (signed session handshake, HMAC per request). Settings come from system
 * properties: {@code bench.warmup}, {@code bench.count}, {@code bench.inFlight}, {@code bench.seconds}, and
 * the transport's own {@code cortex.aeron.driver-idle} / {@code cortex.aeron.client-idle}.
 */
public final class QueryBench {

    static final Keypair VALIDATOR = DevKeys.hotkey("alice", 0);
    static final Keypair MINER = DevKeys.hotkey("bob", 0);
    static final int NETUID = 1;
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private QueryBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: QueryBench cortex-ipc | cortex-serve PORT | cortex-query PORT | grpc-serve PORT | grpc-query PORT");
            System.exit(2);
        }
        RoundTrips.Settings settings = new RoundTrips.Settings(Integer.getInteger("bench.warmup", 20_000),
                Integer.getInteger("bench.count", 50_000), Integer.getInteger("bench.inFlight", 32),
                Integer.getInteger("bench.seconds", 10));
        byte[] task = new ComputeSubnet().nextTask(new SplittableRandom(7)).payload();
        switch (args[0]) {
            case "cortex-ipc" -> cortexIpc(settings, task);
            case "cortex-serve" -> cortexServe(Integer.parseInt(args[1]));
            case "cortex-query" -> cortexQuery(settings, task, Integer.parseInt(args[1]));
            case "grpc-serve" -> grpcServe(Integer.parseInt(args[1]));
            case "grpc-query" -> grpcQuery(settings, task, Integer.parseInt(args[1]));
            default -> {
                System.err.println("unknown mode " + args[0]);
                System.exit(2);
            }
        }
    }

    /** The miner's work: the exact answer, at once. */
    static byte[] answer(byte[] task) {
        return ByteBuffer.allocate(8).putLong(ComputeSubnet.solve(task)).array();
    }

    /**
     * The miner answers the validator, whose replies go to {@code callerChannel}: the endpoint the ledger would
     * show as the validator's node's axon.
     */
    static QueryTransport serving(QueryTransport transport, String callerChannel) {
        transport.axon().register(MINER, (request, responder) -> responder.respond(Status.OK, answer(request.body())),
                Axon.CallerPolicy.of(java.util.Set.of(VALIDATOR.address()), java.util.Set.of(callerChannel)));
        return transport;
    }

    /** The querying node of a UDP run listens one port above the serving one. */
    static int callerPort(int servePort) {
        return servePort + 1;
    }

    static void cortexIpc(RoundTrips.Settings settings, byte[] task) throws InterruptedException {
        try (QueryTransport node = QueryTransport.start(new QueryTransport.Context().name("bench-ipc"))) {
            serving(node, node.axonChannel());
            String channel = node.axonChannel();
            RoundTrips.measure("cortex-ipc", settings, () -> checked(node.dendrite().query(VALIDATOR, MINER.address(),
                    channel, NETUID, task, TIMEOUT)));
            System.out.println("counters " + node.dendrite().counters());
        }
    }

    static void cortexServe(int port) throws InterruptedException {
        QueryTransport node = serving(QueryTransport.start(new QueryTransport.Context().name("bench-axon").port(port)),
                "aeron:udp?endpoint=127.0.0.1:" + callerPort(port));
        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        System.out.println("serving " + node.axonChannel());
        Thread.currentThread().join();
    }

    static void cortexQuery(RoundTrips.Settings settings, byte[] task, int port) throws InterruptedException {
        try (QueryTransport node = QueryTransport.start(new QueryTransport.Context().name("bench-dendrite").port(callerPort(port)))) {
            String channel = "aeron:udp?endpoint=127.0.0.1:" + port;
            RoundTrips.measure("cortex-udp", settings, () -> checked(node.dendrite().query(VALIDATOR, MINER.address(),
                    channel, NETUID, task, TIMEOUT)));
            System.out.println("counters " + node.dendrite().counters());
        }
    }

    private static CompletionStage<?> checked(CompletableFuture<io.cortex.protocol.aeron.Dendrite.Response> response) {
        return response.thenApply(r -> {
            if (!r.ok()) {
                throw new IllegalStateException("status " + r.status());
            }
            return r;
        });
    }

    static ActorSystem<Void> grpcSystem(String name) {
        return ActorSystem.create(Behaviors.empty(), name, ConfigFactory.parseString("""
                pekko.http.server.preview.enable-http2 = on
                pekko.loglevel = WARNING
                pekko.actor.provider = local
                """).withFallback(ConfigFactory.load()));
    }

    static void grpcServe(int port) throws Exception {
        ActorSystem<Void> system = grpcSystem("grpc-serve");
        QueryBenchService service = task -> CompletableFuture.completedFuture(
                Answer.newBuilder().setBody(ByteString.copyFrom(answer(task.getBody().toByteArray()))).build());
        ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", port)
                .bind(QueryBenchHandlerFactory.create(service, system)).toCompletableFuture().get();
        System.out.println("serving gRPC at " + binding.localAddress());
        Thread.currentThread().join();
    }

    static void grpcQuery(RoundTrips.Settings settings, byte[] task, int port) throws InterruptedException {
        ActorSystem<Void> system = grpcSystem("grpc-query");
        QueryBenchClient client = QueryBenchClient.create(
                GrpcClientSettings.connectToServiceAt("127.0.0.1", port, system).withTls(false), system);
        Task request = Task.newBuilder().setBody(ByteString.copyFrom(task)).build();
        try {
            RoundTrips.measure("grpc", settings, () -> client.query(request));
        } finally {
            client.close();
            system.terminate();
        }
    }

    /** The generated service interface, named for the lambda above. */
    interface QueryBenchService extends io.cortex.bench.query.grpc.QueryBench {
    }
}
