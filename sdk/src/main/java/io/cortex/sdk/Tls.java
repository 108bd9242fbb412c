package io.cortex.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.pekko.grpc.GrpcClientSettings;

/**
 * How a client talks to a node's gRPC API: in plain text, or over TLS verifying the node's certificate
 * against trusted ones read from a PEM file (a testnet's self-signed certificate, or a CA's).
 */
public final class Tls {
    /** No TLS: for a node on loopback, or one whose operator runs no TLS. */
    public static final Tls PLAINTEXT = new Tls(null, null);

    private final Path trusted;
    private final X509TrustManager trustManager;

    private Tls(Path trusted, X509TrustManager trustManager) {
        this.trusted = trusted;
        this.trustManager = trustManager;
    }

    /** TLS trusting the certificates in the PEM file; the node's name must match one in its certificate. */
    public static Tls trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("trusted-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("no certificate in " + pem);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager m : factory.getTrustManagers()) {
                if (m instanceof X509TrustManager x) {
                    return new Tls(pem, x);
                }
            }
            throw new IllegalStateException("the JVM offers no X.509 trust manager");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the certificate file " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + pem + " (" + e.getMessage() + ")", e);
        }
    }

    public boolean enabled() {
        return trustManager != null;
    }

    GrpcClientSettings apply(GrpcClientSettings settings) {
        return trustManager == null ? settings.withTls(false) : settings.withTls(true).withTrustManager(trustManager);
    }

    @Override
    public String toString() {
        return trusted == null ? "plaintext" : "TLS trusting " + trusted;
    }
}
