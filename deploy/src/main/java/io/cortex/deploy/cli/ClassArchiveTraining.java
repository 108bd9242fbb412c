package io.cortex.deploy.cli;

import io.cortex.deploy.support.CliFailure;
import io.cortex.protocol.api.Ledger;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.tls.TlsFiles;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.okhttp.OkHttpServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cortex train-class-archive} (hidden): the workload the {@code ./cortex} script runs once per build
 * with {@code -XX:ArchiveClassesAtExit}, so that the class-data archive holds what a short command that
 * talks to a node loads: picocli, the TLS handshake, grpc-java's OkHttp transport and the API's messages.
 * It runs {@code cortex status}, exactly as a user does, against a gRPC endpoint of its own on loopback, over
 * TLS with a throwaway certificate, that answers the ledger's {@code Status} call; no node is needed.
 */
@Command(name = "train-class-archive", hidden = true,
        description = "Run a short command against a loopback endpoint, to train the class-data archive (used by ./cortex).")
public final class ClassArchiveTraining implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A gRPC endpoint on loopback, over TLS with {@code cert}, whose {@code Ledger.Status} answers {@code reply}. */
    static Server statusEndpoint(Path cert, Path key, StatusReply reply) throws IOException {
        return OkHttpServerBuilder.forPort(new InetSocketAddress("127.0.0.1", 0), TlsServerCredentials.create(cert.toFile(), key.toFile()))
                .addService(ServerServiceDefinition.builder(Ledger.name)
                        .addMethod(ChannelApi.LedgerMethods.STATUS, ServerCalls.asyncUnaryCall((request, answer) -> {
                            answer.onNext(reply);
                            answer.onCompleted();
                        }))
                        .build())
                .build()
                .start();
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Api.quietOkHttp();
        Path dir = Files.createTempDirectory("cortex-class-archive");
        Server server = null;
        try {
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            TlsFiles.selfSigned(cert, key, List.of("127.0.0.1"), Duration.ofHours(1));
            server = statusEndpoint(cert, key, StatusReply.newBuilder().setNode("training").setHeight(1).build());
            // the command line's own status verb: its classes are the ones a short command loads
            CommandLine status = spec.root().commandLine().getSubcommands().get("status");
            if (status == null) {
                throw new CliFailure("train-class-archive: no status verb on this command line (CortexCli.verbsFor adds it)");
            }
            status.setOut(new PrintWriter(new StringWriter()));
            return status.execute("--node", "127.0.0.1:" + server.getPort(), "--tls-cert", cert.toString());
        } finally {
            if (server != null) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
