package io.cortex.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.CortexCli;
import io.cortex.deploy.support.CliFailure;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.StatusRequest;
import io.cortex.protocol.tls.TlsFiles;
import io.cortex.sdk.Tls;
import io.grpc.Server;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's calls on grpc-java's OkHttp transport, against a real gRPC endpoint over TLS on loopback: the
 * node's certificate is verified (a different one is refused, and so is a certificate that does not name
 * the host dialled), the reply arrives whole, and a node that is not there is one line the user can act on.
 */
class ApiTest {
    @TempDir
    static Path dir;
    static Server node;
    static final StatusReply REPLY = StatusReply.newBuilder().setNode("n1").setHeight(42).setStateHash("ab".repeat(32))
            .setSubnets(2).build();

    @BeforeAll
    static void endpoint() throws Exception {
        TlsFiles.selfSigned(dir.resolve("cert.pem"), dir.resolve("key.pem"), List.of("127.0.0.1"), Duration.ofHours(1));
        TlsFiles.selfSigned(dir.resolve("other.pem"), dir.resolve("other-key.pem"), List.of("127.0.0.1"), Duration.ofHours(1));
        TlsFiles.selfSigned(dir.resolve("elsewhere.pem"), dir.resolve("elsewhere-key.pem"), List.of("node.example"),
                Duration.ofHours(1));
        node = ClassArchiveTraining.statusEndpoint(dir.resolve("cert.pem"), dir.resolve("key.pem"), REPLY);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        node.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static String address() {
        return "127.0.0.1:" + node.getPort();
    }

    @Test
    void answersOverTlsWithTheNodesCertificate() {
        try (Api api = new Api(address(), Tls.trusting(dir.resolve("cert.pem")))) {
            assertEquals(REPLY, api.call(api.ledger().status(StatusRequest.getDefaultInstance())));
        }
    }

    @Test
    void refusesAnotherCertificate() {
        try (Api api = new Api(address(), Tls.trusting(dir.resolve("other.pem")))) {
            CliFailure f = assertThrows(CliFailure.class, () -> api.call(api.ledger().status(StatusRequest.getDefaultInstance())));
            assertTrue(f.getMessage().startsWith("the TLS handshake with the node at " + address() + " failed"), f.getMessage());
        }
    }

    @Test
    void refusesPlainTextToATlsNode() {
        try (Api api = new Api(address(), Tls.PLAINTEXT)) {
            assertThrows(CliFailure.class, () -> api.call(api.ledger().status(StatusRequest.getDefaultInstance())));
        }
    }

    @Test
    void refusesACertificateForAnotherHost() throws Exception {
        Server elsewhere = ClassArchiveTraining.statusEndpoint(dir.resolve("elsewhere.pem"), dir.resolve("elsewhere-key.pem"), REPLY);
        try (Api api = new Api("127.0.0.1:" + elsewhere.getPort(), Tls.trusting(dir.resolve("elsewhere.pem")))) {
            CliFailure f = assertThrows(CliFailure.class, () -> api.call(api.ledger().status(StatusRequest.getDefaultInstance())));
            assertTrue(f.getMessage().contains("TLS handshake") && f.getMessage().contains("127.0.0.1"), f.getMessage());
        } finally {
            elsewhere.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void statusCommandPrintsTheReply() {
        StringWriter out = new StringWriter();
        var cli = CortexCli.commandLine();
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("status", "--node", address(), "--tls-cert", dir.resolve("cert.pem").toString());
        assertEquals(0, exit);
        assertTrue(out.toString().contains("node n1 at " + address()) && out.toString().contains("block 42 "), out.toString());
    }

    @Test
    void aNodeThatIsNotThereIsOneLine() {
        try (Api api = new Api("127.0.0.1:1", Tls.PLAINTEXT)) {
            CliFailure f = assertThrows(CliFailure.class, () -> api.call(api.ledger().status(StatusRequest.getDefaultInstance())));
            assertTrue(f.getMessage().startsWith("cannot reach a Cortex node at 127.0.0.1:1"), f.getMessage());
        }
    }

    @Test
    void trainingTheClassArchiveRunsStatusToTheEnd() {
        for (var cli : java.util.List.of(CortexCli.commandLine(),
                // as ./cortex runs it: the command line of the verb alone (with the status verb it runs)
                CortexCli.commandLine(CortexCli.verbsFor(new String[] {"train-class-archive"})))) {
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err));
            assertEquals(0, cli.execute("train-class-archive"), err.toString());
        }
    }
}
