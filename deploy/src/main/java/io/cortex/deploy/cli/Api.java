package io.cortex.deploy.cli;

import com.typesafe.config.ConfigFactory;
import io.cortex.protocol.api.LedgerClient;
import io.cortex.protocol.api.NetworkClient;
import io.cortex.sdk.Tls;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;

/**
 * A gRPC connection to one node for the length of a command: a small local actor system (Pekko gRPC's
 * client runs on it), the {@code Ledger} and {@code Network} clients, and {@link #call}, which waits for an
 * answer and turns a gRPC failure into one line the user can act on.
 */
public final class Api implements AutoCloseable {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final String address;
    private final ActorSystem<Void> system;
    private final LedgerClient ledger;
    private final NetworkClient network;

    /** A connection verified as {@link Connection#tls(String)} says for this node. */
    public Api(String hostPort) {
        this(hostPort, Connection.tls(hostPort));
    }

    public Api(String hostPort, Tls tls) {
        this.address = hostPort;
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        this.system = ActorSystem.create(Behaviors.empty(), "cortex-cli", ConfigFactory.parseString("""
                pekko.actor.provider = local
                pekko.loglevel = ERROR
                pekko.stdout-loglevel = OFF
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                """).withFallback(ConfigFactory.load()));
        GrpcClientSettings settings = tls.apply(GrpcClientSettings.connectToServiceAt(host, port, system))
                .withConnectionAttempts(3);
        this.ledger = LedgerClient.create(settings, system);
        this.network = NetworkClient.create(settings, system);
    }

    public LedgerClient ledger() {
        return ledger;
    }

    public NetworkClient network() {
        return network;
    }

    public String address() {
        return address;
    }

    ActorSystem<Void> system() {
        return system;
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

    @Override
    public void close() {
        ledger.close();
        network.close();
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the command's answer is out; a slow shutdown changes nothing
        }
    }
}
