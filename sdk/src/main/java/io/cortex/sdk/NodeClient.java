package io.cortex.sdk;

import com.google.protobuf.ByteString;
import io.cortex.actors.neuron.LedgerGateway;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.TransactionCodec;
import io.cortex.protocol.api.AccountRequest;
import io.cortex.protocol.api.BalanceReply;
import io.cortex.protocol.api.EpochEvent;
import io.cortex.protocol.api.StreamRequest;
import io.cortex.protocol.api.LedgerClient;
import io.cortex.protocol.api.MetagraphRequest;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.StatusRequest;
import io.cortex.protocol.api.SubmitRequest;
import io.cortex.protocol.api.SubnetReply;
import io.cortex.protocol.api.SubnetsReply;
import io.cortex.protocol.api.SubnetsRequest;
import io.cortex.core.identity.Address;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.event.Logging;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's gRPC API as a neuron outside the cluster uses it: a {@link LedgerGateway} over one node of a
 * list. When the node cannot be reached (it restarted, or its host is gone) the next call goes to the next
 * node of the list, on a fresh connection, so a neuron carries on through a node's restart or a ledger
 * failover without being restarted itself. Calls do not retry: neurons check the ledger again on their own
 * schedule, and a transaction is re-signed with a fresh nonce, so a lost answer never applies one twice.
 *
 * <p>TLS: with {@link Tls#trusting(java.nio.file.Path)} the client verifies the node's certificate against
 * the given one (a self-signed testnet certificate, or a CA); {@link Tls#PLAINTEXT} talks without it.
 */
public final class NodeClient implements LedgerGateway, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeClient.class);
    /** How long a call may take: a submission waits for the block that holds it. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ClassicActorSystemProvider system;
    private final List<String> nodes;
    private final Tls tls;
    private int current;
    private LedgerClient client;
    private boolean closed;
    /** The epoch streams handed out, shut down by {@link #close()}. */
    private final List<UniqueKillSwitch> streams = new java.util.ArrayList<>();

    /**
     * @param nodes {@code HOST:PORT} of the nodes' gRPC APIs, tried in order
     * @param system the actor system Pekko gRPC's client runs on
     */
    public NodeClient(List<String> nodes, Tls tls, ClassicActorSystemProvider system) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("give at least one node (HOST:PORT)");
        }
        nodes.forEach(NodeClient::checkHostPort);
        this.nodes = List.copyOf(nodes);
        this.tls = tls;
        this.system = system;
        this.client = connect(nodes.get(0));
    }

    /** The node calls go to now. */
    public synchronized String node() {
        return nodes.get(current);
    }

    @Override
    public CompletionStage<Receipt> submit(SignedTransaction tx) {
        SubmitRequest request = SubmitRequest.newBuilder().setTransaction(ByteString.copyFrom(TransactionCodec.encode(tx))).build();
        return call(c -> c.submit().invoke(request)).thenApply(reply -> reply.getAccepted()
                ? new Receipt.Accepted(tx.hash())
                : new Receipt.Rejected(tx.hash(), reason(reply.getReason()), detail(reply.getReason(), reply.getDetail())));
    }

    /** The subnet's whole metagraph, read through the API's paged stream (a 32,768-uid subnet is 32 pages). */
    @Override
    public CompletionStage<Metagraph> metagraph(int netuid) {
        MetagraphRequest request = MetagraphRequest.newBuilder().setNetuid(netuid).build();
        return MetagraphPages.readingOnceMore(() -> call(c -> c.metagraph(request).runWith(Sink.seq(), system)))
                .thenApply(pages -> metagraph(MetagraphPages.joined(pages)));
    }

    @Override
    public CompletionStage<Long> nonce(Address account) {
        AccountRequest request = AccountRequest.newBuilder().setAddress(account.toString()).build();
        return call(c -> c.nonce().invoke(request)).thenApply(n -> n.getNext());
    }

    public CompletionStage<BalanceReply> balance(Address account) {
        AccountRequest request = AccountRequest.newBuilder().setAddress(account.toString()).build();
        return call(c -> c.balance().invoke(request));
    }

    public CompletionStage<SubnetReply> subnet(int netuid) {
        NetuidRequest request = NetuidRequest.newBuilder().setNetuid(netuid).build();
        return call(c -> c.subnet().invoke(request));
    }

    public CompletionStage<SubnetsReply> subnets() {
        return call(c -> c.subnets().invoke(SubnetsRequest.getDefaultInstance()));
    }

    public CompletionStage<StatusReply> status() {
        return call(c -> c.status().invoke(StatusRequest.getDefaultInstance()));
    }

    /**
     * Every epoch's metagraph, of every subnet, as the ledger runs them (the API's {@code Epochs} stream), to
     * {@code each} until the returned switch is shut down or this client is closed. The stream has a client of
     * its own, with no deadline (the unary calls' {@link #DEADLINE} would cut it every 30 s), on the node calls
     * go to when it opens; when it breaks it is opened again after a back-off, on the next node of the list
     * if that one could not be reached.
     */
    public UniqueKillSwitch epochs(Consumer<Metagraph> each, Materializer materializer) {
        // a node going away is expected (failover): one line of ours, not Pekko's stack trace per restart,
        // until the stream has failed 20 times with less than 30 s between failures
        RestartSettings restarts = RestartSettings.create(Duration.ofMillis(250), Duration.ofSeconds(5), 0.2)
                .withMaxRestarts(Integer.MAX_VALUE, Duration.ofSeconds(30))
                .withLogSettings(RestartSettings.createLogSettings(Logging.DebugLevel())
                        .withCriticalLogLevel(Logging.WarningLevel(), 20));
        UniqueKillSwitch stop = RestartSource.withBackoff(restarts, () -> {
                    String node;
                    LedgerClient calls;
                    synchronized (this) {
                        node = nodes.get(current);
                        calls = client;
                    }
                    LedgerClient stream = LedgerClient.create(tls.apply(settings(node)), system);
                    return stream.epochs(StreamRequest.getDefaultInstance()).watchTermination((mat, done) -> {
                        done.whenComplete((ok, failure) -> {
                            stream.close();
                            if (failure != null) {
                                LOG.info("epoch stream from {} broke ({}); opening it again", node, failure.getMessage());
                                if (unreachable(failure)) {
                                    moveOn(calls, failure);
                                }
                            }
                        });
                        return mat;
                    });
                })
                .viaMat(KillSwitches.single(), Keep.right())
                .to(Sink.foreach((EpochEvent e) -> {
                    try {
                        each.accept(metagraph(e.getMetagraph()));
                    } catch (RuntimeException failure) {
                        // the stream goes on: one bad epoch, or a consumer's bug, must not end it silently
                        LOG.warn("epoch {} of subnet {} not delivered: {}", e.getMetagraph().getEpochIndex(),
                                e.getMetagraph().getNetuid(), failure.toString());
                    }
                }))
                .run(materializer);
        synchronized (this) {
            if (closed) {
                stop.shutdown();
            } else {
                streams.add(stop);
            }
        }
        return stop;
    }

    /** Runs a call on the current node; when the node cannot be reached, the next call goes to the next one. */
    private <T> CompletionStage<T> call(Function<LedgerClient, CompletionStage<T>> call) {
        LedgerClient used;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the node client is closed"));
            }
            used = client;
        }
        CompletionStage<T> stage;
        try {
            stage = call.apply(used);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.whenComplete((answer, failure) -> {
            if (failure != null && unreachable(failure)) {
                moveOn(used, failure);
            }
        });
    }

    /** A node that cannot be reached, or a client that gave up on it; not a refusal the node gave. */
    static boolean unreachable(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof StatusRuntimeException s) {
            Status.Code code = s.getStatus().getCode();
            return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
        }
        return t.getClass().getSimpleName().equals("ClientConnectionException");
    }

    private void moveOn(LedgerClient failed, Throwable failure) {
        LedgerClient old;
        String next;
        synchronized (this) {
            if (closed || client != failed) {
                return; // another call moved on already
            }
            current = (current + 1) % nodes.size();
            next = nodes.get(current);
            old = client;
            client = connect(next);
        }
        LOG.info("node unreachable ({}); next calls go to {}", failure.getMessage(), next);
        old.close();
    }

    private LedgerClient connect(String hostPort) {
        return LedgerClient.create(tls.apply(settings(hostPort).withDeadline(DEADLINE)), system);
    }

    private GrpcClientSettings settings(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return GrpcClientSettings.connectToServiceAt(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1)), system);
    }

    static void checkHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            if (colon <= 0 || Integer.parseInt(hostPort.substring(colon + 1)) <= 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a node is HOST:PORT (its gRPC API), not '" + hostPort + "'");
        }
    }

    /** The reason a node gave; a node newer than this client may give one it does not know. */
    private static RejectReason reason(String name) {
        try {
            return RejectReason.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the node rejected the transaction for a reason this client does not know: "
                    + name + " (a newer node? update the SDK)");
        }
    }

    /** The node sends the reason's description with the detail; the receipt keeps them apart. */
    private static String detail(String reason, String detail) {
        String prefix = reason(reason).description();
        return detail.equals(prefix) ? "" : detail.startsWith(prefix + ": ") ? detail.substring(prefix.length() + 2) : detail;
    }

    /** The API's metagraph as the ledger's. */
    public static Metagraph metagraph(io.cortex.protocol.api.Metagraph m) {
        List<Metagraph.Neuron> neurons = new ArrayList<>(m.getNeuronsCount());
        for (io.cortex.protocol.api.Neuron n : m.getNeuronsList()) {
            neurons.add(new Metagraph.Neuron(n.getUid(), Address.parse(n.getHotkey()),
                    n.getColdkey().isEmpty() ? null : Address.parse(n.getColdkey()), n.getStake(), n.getAxon(),
                    n.getValidatorPermit(), n.getIncentive(), n.getDividends(), n.getConsensus(), n.getValidatorTrust(),
                    n.getEmission(), n.getLastUpdate(), n.getRegisteredAt(), n.getActive()));
        }
        return new Metagraph(m.getNetuid(), m.getBlock(), m.getEpochIndex(), m.getLastEpochBlock(), m.getTempo(),
                m.getCommitReveal(), m.getWeightsRateLimit(), m.getRevealPeriod(), Address.parse(m.getOwnerHotkey()),
                m.getPrice(), neurons, m.getLeaveOneOut());
    }

    @Override
    public void close() {
        LedgerClient c;
        List<UniqueKillSwitch> open;
        synchronized (this) {
            closed = true;
            c = client;
            open = List.copyOf(streams);
            streams.clear();
        }
        open.forEach(UniqueKillSwitch::shutdown);
        c.close();
    }
}
