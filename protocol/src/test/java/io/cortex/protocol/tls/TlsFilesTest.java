package io.cortex.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A self-signed pair serves a real TLS handshake on loopback to a client that trusts its certificate and
 * checks the host name (as gRPC clients do), and fails for a client that trusts another certificate. The key
 * is written owner-only.
 */
class TlsFilesTest {
    @TempDir
    Path dir;

    @Test
    void aSelfSignedPairServesClientsThatTrustItAndNoOthers() throws Exception {
        Path cert = dir.resolve("tls/cert.pem");
        Path key = dir.resolve("tls/key.pem");
        TlsFiles.selfSigned(cert, key, List.of("127.0.0.1", "localhost"), Duration.ofDays(30));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())));
        assertTrue(Files.readString(cert).startsWith("-----BEGIN CERTIFICATE-----"));

        SSLContext server = TlsFiles.server(cert, key);
        assertEquals(42, handshake(server, cert));

        Path otherCert = dir.resolve("other/cert.pem");
        TlsFiles.selfSigned(otherCert, dir.resolve("other/key.pem"), List.of("127.0.0.1"), Duration.ofDays(30));
        assertThrows(SSLHandshakeException.class, () -> handshake(server, otherCert));

        IllegalStateException again = assertThrows(IllegalStateException.class,
                () -> TlsFiles.selfSigned(cert, key, List.of("127.0.0.1"), Duration.ofDays(1)));
        assertTrue(again.getCause() instanceof FileAlreadyExistsException, "an existing pair is never overwritten");
    }

    /** One byte from a TLS server on loopback, as seen by a client trusting {@code trusted} and checking the host. */
    private static int handshake(SSLContext server, Path trusted) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(42);
                    out.flush();
                } catch (Exception ignored) {
                    // the client's failure is what the test checks
                }
            });
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new TrustManager[] {TlsFiles.trusting(trusted)}, new SecureRandom());
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listener.getLocalPort())) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                InputStream in = s.getInputStream();
                return in.read();
            } finally {
                served.get(5, TimeUnit.SECONDS);
            }
        }
    }
}
