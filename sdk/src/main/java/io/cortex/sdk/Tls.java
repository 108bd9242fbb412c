package io.cortex.sdk;

import io.cortex.protocol.tls.TlsFiles;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.X509TrustManager;
import org.apache.pekko.grpc.GrpcClientSettings;

/**
 * How a client talks to a node's gRPC API: in plain text, or over TLS verifying the node's certificate
 * against trusted ones read from a PEM file (a testnet's self-signed certificate, or a CA's); the host the
 * client dials must be one the certificate names.
 */
public final class Tls {
    /** No TLS: for a node whose operator runs none (a testnet started with {@code --no-tls}). */
    public static final Tls PLAINTEXT = new Tls(null, null);

    private final Path trusted;
    private final X509TrustManager trustManager;

    private Tls(Path trusted, X509TrustManager trustManager) {
        this.trusted = trusted;
        this.trustManager = trustManager;
    }

    /** TLS trusting the certificates in the PEM file. */
    public static Tls trusting(Path pem) {
        return new Tls(pem, TlsFiles.trusting(pem));
    }

    public boolean enabled() {
        return trustManager != null;
    }

    /** The trust manager that verifies the node's certificate; empty for plain text. */
    public Optional<X509TrustManager> trustManager() {
        return Optional.ofNullable(trustManager);
    }

    /** The client settings with this TLS applied. */
    public GrpcClientSettings apply(GrpcClientSettings settings) {
        return trustManager == null ? settings.withTls(false) : settings.withTls(true).withTrustManager(trustManager);
    }

    @Override
    public String toString() {
        return trusted == null ? "plaintext" : "TLS trusting " + trusted;
    }
}
