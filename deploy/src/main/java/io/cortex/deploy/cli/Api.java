package io.cortex.deploy.cli;

import com.typesafe.config.ConfigFactory;
import io.cortex.deploy.support.CliFailure;
import io.cortex.protocol.api.Ledger;
import io.cortex.protocol.api.LedgerClient;
import io.cortex.protocol.api.Network;
import io.cortex.sdk.MetagraphPages;
import io.cortex.sdk.Tls;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;

/**
 * A gRPC connection to one node for the length of a command: the {@code Ledger} and {@code Network} APIs on
 * one grpc-java channel, and {@link #call}, which waits for an answer and turns a gRPC failure into one line
 * the user can act on. The unary calls need no actor system; one is started only when a command reads a
 * stream ({@code blocks}, {@code epochs}) or asks for {@link #system()}, since Pekko gRPC's client and
 * Pekko Streams run on it.
 */
public final class Api implements AutoCloseable {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final String address;
    private final String host;
    private final int port;
    private final Tls tls;
    private final ManagedChannel channel;
    private final Ledger ledger;
    private final Network network;
    private ActorSystem<Void> system;
    private LedgerClient streams;

    /** A connection verified as {@link Connection#tls(String)} says for this node. */
    public Api(String hostPort) {
        this(hostPort, Connection.tls(hostPort));
    }

    public Api(String hostPort, Tls tls) {
        this.address = hostPort;
        int colon = hostPort.lastIndexOf(':');
        this.host = hostPort.substring(0, colon);
        this.port = Integer.parseInt(hostPort.substring(colon + 1));
        this.tls = tls;
        this.channel = channel(host, port, tls);
        this.ledger = ChannelApi.ledger(channel, CALL_TIMEOUT, this::streams);
        this.network = ChannelApi.network(channel, CALL_TIMEOUT);
    }

    /**
     * A channel on grpc-java's OkHttp transport over the JDK's TLS, which verifies the node's certificate and
     * host name. (Its Netty transport, which Pekko gRPC uses, loads some 900 classes and the JDK's CA store
     * before the first call: twice the start-up of a short command.)
     */
    private static ManagedChannel channel(String host, int port, Tls tls) {
        quietOkHttp();
        OkHttpChannelBuilder builder = OkHttpChannelBuilder.forAddress(host, port);
        if (tls.trustManager().isEmpty()) {
            return builder.usePlaintext().build();
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {tls.trustManager().get()}, null);
            // TLS 1.3 and 1.2 with the JDK's own cipher suites: OkHttp's default allows TLS 1.2 and six suites only
            return builder.sslSocketFactory(context.getSocketFactory())
                    .tlsConnectionSpec(new String[] {"TLSv1.3", "TLSv1.2"}, context.getDefaultSSLParameters().getCipherSuites())
                    .build();
        } catch (GeneralSecurityException e) {
            throw new CliFailure("cannot set up TLS to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * grpc-okhttp 1.67 logs a warning on every JDK that Conscrypt, an Android security provider, is missing
     * (grpc-java#11576, fixed in 1.68, past the version Pekko gRPC brings).
     */
    static void quietOkHttp() {
        OKHTTP_PLATFORM.setLevel(Level.SEVERE);
    }

    /** Held here: JUL keeps loggers weakly. */
    private static final Logger OKHTTP_PLATFORM = Logger.getLogger("io.grpc.okhttp.internal.Platform");

    public Ledger ledger() {
        return ledger;
    }

    /**
     * A subnet's metagraph, or the part {@code request} asks for, read page by page and joined into one message
     * ({@code n} says how many uids the subnet has).
     */
    public io.cortex.protocol.api.Metagraph metagraph(io.cortex.protocol.api.MetagraphRequest request) {
        // one deadline for the reading and its one retry: call() waits CALL_TIMEOUT for both together
        io.grpc.Deadline deadline = io.grpc.Deadline.after(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return call(MetagraphPages.readingOnceMore(() -> ChannelApi.metagraphPages(channel, request, deadline))
                .thenApply(MetagraphPages::joined));
    }

    /** A whole subnet's metagraph. */
    public io.cortex.protocol.api.Metagraph metagraph(int netuid) {
        return metagraph(io.cortex.protocol.api.MetagraphRequest.newBuilder().setNetuid(netuid).build());
    }

    public Network network() {
        return network;
    }

    public String address() {
        return address;
    }

    /** The actor system a stream runs on, started on first use. */
    synchronized ActorSystem<Void> system() {
        if (system == null) {
            system = ActorSystem.create(Behaviors.empty(), "cortex-cli", ConfigFactory.parseString("""
                    pekko.actor.provider = local
                    pekko.loglevel = ERROR
                    pekko.stdout-loglevel = OFF
                    pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                    pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                    pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                    """).withFallback(ConfigFactory.load()));
        }
        return system;
    }

    /** Pekko gRPC's client, for the streams, made on first use. */
    private synchronized Ledger streams() {
        if (streams == null) {
            GrpcClientSettings settings = tls.apply(GrpcClientSettings.connectToServiceAt(host, port, system()))
                    .withConnectionAttempts(3);
            streams = LedgerClient.create(settings, system());
        }
        return streams;
    }

    /** Waits for a call; a failure becomes a {@link CliFailure} (or, for bad input, an IllegalArgumentException). */
    public <T> T call(CompletionStage<T> call) {
        try {
            return call.toCompletableFuture().get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new CliFailure("the node at " + address + " did not answer within " + CALL_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    RuntimeException failure(Throwable cause) {
        if (cause instanceof StatusRuntimeException s) {
            String description = s.getStatus().getDescription() == null ? "" : s.getStatus().getDescription();
            return switch (s.getStatus().getCode()) {
                case UNAVAILABLE -> description.contains("ledger")
                        ? new CliFailure("the node at " + address + " is up but " + description)
                        : tlsFailure(s) != null
                        ? new CliFailure("the TLS handshake with the node at " + address + " failed (" + tlsFailure(s).getMessage()
                        + "): give --tls-cert with the certificate it should show, or check that it serves TLS", s)
                        : new CliFailure("cannot reach a Cortex node at " + address
                        + " (start a local testnet with ./cortex testnet up, or give --node HOST:PORT)");
                case INVALID_ARGUMENT, OUT_OF_RANGE -> new IllegalArgumentException(description);
                case NOT_FOUND, FAILED_PRECONDITION -> new CliFailure(description);
                case DEADLINE_EXCEEDED -> new CliFailure("the node at " + address + " did not answer in time");
                default -> new CliFailure(s.getStatus().getCode() + ": " + description);
            };
        }
        return new CliFailure(cause.toString(), cause);
    }

    /** The TLS failure under a call's failure, if that is what it was. */
    private static SSLException tlsFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    @Override
    public synchronized void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (system != null) {
            if (streams != null) {
                streams.close();
            }
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the command's answer is out; a slow shutdown changes nothing
            }
        }
    }
}
