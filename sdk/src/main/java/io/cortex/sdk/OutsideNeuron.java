package io.cortex.sdk;

import com.typesafe.config.ConfigFactory;
import io.cortex.actors.neuron.LedgerGateway;
import io.cortex.actors.neuron.MinerActor;
import io.cortex.actors.neuron.NonceCounter;
import io.cortex.actors.neuron.ValidatorActor;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.core.identity.Keypair;
import io.cortex.subnets.SubnetMechanism;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import io.cortex.ledger.state.Metagraph;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.actor.typed.Behavior;

/**
 * A miner or a validator in its own process, outside the cluster, with its own keys: the same
 * {@link MinerActor} or {@link ValidatorActor} the cluster hosts, on a local actor system, with its own Aeron
 * transport (its axon, bound where {@link Options#axonBind} says and announced as {@link Options#axonAdvertise})
 * and the ledger reached over gRPC through {@link NodeClient}. The keys never leave the process: every
 * transaction is signed here and only the signed bytes go to a node.
 *
 * <p>It registers (paying the burn from the coldkey) when its hotkey is not registered yet, serves its axon
 * (a {@code serve_axon} transaction signed by the hotkey), then mines or validates until {@link #close()}.
 */
public final class OutsideNeuron implements AutoCloseable {

    /**
     * Where the neuron reaches the ledger and where it listens.
     *
     * @param nodes {@code HOST:PORT} of one or more nodes' gRPC APIs; the next is tried when one cannot be reached
     * @param tls how to talk to them
     * @param axonBind {@code HOST:PORT} the axon's UDP socket binds (port 0: any free one)
     * @param axonAdvertise {@code HOST[:PORT]} peers reach the axon at; null: the bound address
     */
    public record Options(List<String> nodes, Tls tls, String axonBind, String axonAdvertise) {
        public Options {
            nodes = List.copyOf(nodes);
            Objects.requireNonNull(tls, "tls");
            int colon = axonBind.lastIndexOf(':');
            if (colon <= 0 || !axonBind.substring(colon + 1).matches("\\d{1,5}")) {
                throw new IllegalArgumentException("the axon binds HOST:PORT (port 0: any free one), not '" + axonBind + "'");
            }
        }

        /** One node in plain text, the axon on loopback at a free port. */
        public static Options loopback(String node) {
            return new Options(List.of(node), Tls.PLAINTEXT, "127.0.0.1:0", null);
        }
    }

    private final ActorSystem<?> system;
    private final QueryTransport transport;
    private final NodeClient ledger;
    private final AtomicBoolean closed = new AtomicBoolean();
    private UniqueKillSwitch epochs;
    private final CompletableFuture<Done> stopped = new CompletableFuture<>();

    private OutsideNeuron(String kind, Keypair hotkey, Options options, Starter starter, int netuid, Listener listener) {
        int colon = options.axonBind().lastIndexOf(':');
        String name = kind + "-" + hotkey.address().shortForm().replaceAll("[^A-Za-z0-9]", "");
        QueryTransport.Context context = new QueryTransport.Context().name(name)
                .host(options.axonBind().substring(0, colon))
                .port(Integer.parseInt(options.axonBind().substring(colon + 1)))
                .advertise(options.axonAdvertise());
        this.transport = QueryTransport.start(context);
        ActorSystem<?> started = null;
        NodeClient client = null;
        try {
            started = ActorSystem.create(org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "cortex-" + kind,
                    ConfigFactory.parseString("""
                            pekko.actor.provider = local
                            pekko.loglevel = INFO
                            pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                            pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                            """).withFallback(ConfigFactory.load()));
            client = new NodeClient(options.nodes(), options.tls(), started);
            ActorRef<?> neuron = started.systemActorOf(starter.behavior(transport, new NonceCounter(client), new SecureRandom().nextLong()),
                    kind, org.apache.pekko.actor.typed.Props.empty());
            if (listener != null) {
                // each epoch's metagraph as it is made, as the cluster pushes it to hosted neurons: reading it on
                // a timer could miss the one epoch a commit must be revealed in
                this.epochs = client.epochs(m -> {
                    if (m.netuid() == netuid) {
                        listener.epoch(neuron, m);
                    }
                }, Materializer.matFromSystem(started));
            }
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            if (started != null) {
                started.terminate();
            }
            transport.close();
            throw e;
        }
        this.system = started;
        this.ledger = client;
    }

    private interface Starter {
        Behavior<?> behavior(QueryTransport transport, LedgerGateway ledger, long seed);
    }

    /** What the neuron hears of each epoch of its subnet, beside its own reads: null for none. */
    private interface Listener {
        void epoch(ActorRef<?> neuron, Metagraph metagraph);
    }

    /** Starts a miner answering with {@code model}. */
    public static OutsideNeuron miner(int netuid, Keypair hotkey, Keypair coldkey, SubnetMechanism.MinerModel model,
                                      Options options) {
        return new OutsideNeuron("miner", hotkey, options,
                (transport, ledger, seed) -> MinerActor.create(netuid, hotkey, coldkey, model, transport, ledger, seed),
                netuid, null);
    }

    /**
     * Starts a validator scoring with {@code mechanism}; it stakes {@code stake} rao from the coldkey on its
     * hotkey once, when it has no stake yet (0: it stakes nothing itself).
     */
    public static OutsideNeuron validator(int netuid, Keypair hotkey, Keypair coldkey, long stake, SubnetMechanism mechanism,
                                          ValidatorActor.Settings settings, Options options) {
        return new OutsideNeuron("validator", hotkey, options, (transport, ledger, seed) ->
                ValidatorActor.create(netuid, hotkey, coldkey, stake, mechanism, transport, ledger, settings.announcingAxon(), seed),
                netuid, (neuron, m) -> OutsideNeuron.<ValidatorActor.Command>typed(neuron).tell(new ValidatorActor.NewMetagraph(m)));
    }

    @SuppressWarnings("unchecked") // the behaviour spawned is the validator's
    private static <T> ActorRef<T> typed(ActorRef<?> ref) {
        return (ActorRef<T>) ref;
    }

    /** The axon channel the neuron announces on the ledger. */
    public String axonChannel() {
        return transport.axonChannel();
    }

    /** The UDP endpoint the axon is bound to. */
    public String axonBound() {
        return transport.bindEndpoint();
    }

    /** The neuron's ledger client (for reading its standing). */
    public NodeClient ledger() {
        return ledger;
    }

    /** The actor system the neuron runs on (its own, local). */
    public ActorSystem<?> system() {
        return system;
    }

    public QueryTransport transport() {
        return transport;
    }

    /** Completes when {@link #close()} has stopped everything. */
    public CompletionStage<Done> whenStopped() {
        return stopped;
    }

    /**
     * Stops the neuron: the epoch stream and the ledger client (no new calls; a call in flight may still
     * finish), then its actor system and the transport; waits up to 10 s. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (epochs != null) {
            epochs.shutdown();
        }
        ledger.close(); // new calls fail at once; the actor takes them as a ledger that is away
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // stopping anyway: the transport closes below
        }
        transport.close();
        stopped.complete(Done.getInstance());
    }

    /** How long {@link #close()} may take at most, for callers that bound their own shutdown. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);
}
