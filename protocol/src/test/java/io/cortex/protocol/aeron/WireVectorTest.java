package io.cortex.protocol.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The test vector in {@code protocol/README.md} is what the code produces: the frames are encoded from the
 * vector's inputs, both ends derive the printed session key, and the MACs and signatures match byte for byte.
 * A second implementation checks itself against the same lines.
 */
class WireVectorTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final long SESSION = 0x1234567890abcdefL;

    @Test
    void theReadmesTestVectorIsWhatTheCodeProduces() throws Exception {
        Map<String, String> vector = readmeVector();
        Keypair caller = DevKeys.hotkey("alice", 0);
        Keypair miner = DevKeys.hotkey("bob", 0);
        PrivateKey callerX = x25519(vector.get("caller-x25519-private"));
        PrivateKey minerX = x25519(vector.get("miner-x25519-private"));
        byte[] callerPublic = publicOf(callerX);
        byte[] minerPublic = publicOf(minerX);

        ExpandableArrayBuffer hello = new ExpandableArrayBuffer(512);
        int signedLength = HelloFlyweight.encode(hello, 0, 100, 1_700_000_000_000L, 101, caller.address(), miner.address(),
                callerPublic, 1, "aeron:udp?endpoint=127.0.0.1:40123", QueryTransport.DENDRITE_STREAM);
        byte[] signed = new byte[signedLength];
        hello.getBytes(0, signed);
        hello.putBytes(signedLength, caller.sign(signed));
        assertEquals(vector.get("hello"), hex(hello, signedLength + 64));

        UnsafeBuffer ack = new UnsafeBuffer(new byte[HelloAckFlyweight.LENGTH]);
        HelloAckFlyweight.encode(ack, 0, Status.OK, 100, SESSION, minerPublic);
        byte[] transcript = HelloAckFlyweight.signedBytes(SessionCrypto.sha256(signed), ack, 0);
        ack.putBytes(HelloAckFlyweight.SIGNATURE_OFFSET, miner.sign(transcript));
        assertEquals(vector.get("ack"), hex(ack, HelloAckFlyweight.LENGTH));

        byte[] axonKey = SessionCrypto.sessionKey(minerX, callerPublic, transcript);
        byte[] dendriteKey = SessionCrypto.sessionKey(callerX, minerPublic, transcript);
        assertEquals(vector.get("key"), HEX.formatHex(axonKey));
        assertEquals(vector.get("key"), HEX.formatHex(dendriteKey));

        byte[] body = HEX.parseHex("000000050000000100000009000000030000000700000002000000080000000400000006");
        ExpandableArrayBuffer request = new ExpandableArrayBuffer(256);
        RequestFlyweight.encode(request, 0, 1, body.length, 102, SESSION, 1, 1_700_000_000_001L, 1_700_000_002_001L,
                SessionCrypto.sha256(body));
        request.putBytes(RequestFlyweight.MAC_OFFSET, SessionCrypto.mac(axonKey, RequestFlyweight.MAC_DOMAIN, request, 0,
                RequestFlyweight.MAC_OFFSET));
        request.putBytes(RequestFlyweight.HEADER_LENGTH, body);
        assertEquals(vector.get("request"), hex(request, RequestFlyweight.HEADER_LENGTH + body.length));

        byte[] answer = {0, 0, 0, 5};
        ExpandableArrayBuffer response = new ExpandableArrayBuffer(256);
        ResponseFlyweight.encode(response, 0, Status.OK, answer.length, 102, SESSION, 42, SessionCrypto.sha256(answer));
        response.putBytes(ResponseFlyweight.MAC_OFFSET, SessionCrypto.mac(axonKey, ResponseFlyweight.MAC_DOMAIN, response, 0,
                ResponseFlyweight.MAC_OFFSET));
        response.putBytes(ResponseFlyweight.HEADER_LENGTH, answer);
        assertEquals(vector.get("response"), hex(response, ResponseFlyweight.HEADER_LENGTH + answer.length));

        // the transport's own encoders, which write the body hash and the MAC themselves, make the same frames
        ExpandableArrayBuffer sealed = new ExpandableArrayBuffer(256);
        int requestLength = new RequestFlyweight().wrap(sealed, 0).netuid(1).correlationId(102).sessionId(SESSION).nonce(1)
                .timestamp(1_700_000_000_001L).deadline(1_700_000_002_001L).seal(body, new SessionMac(dendriteKey));
        assertEquals(vector.get("request"), hex(sealed, requestLength));
        int responseLength = new ResponseFlyweight().wrap(sealed, 0).status(Status.OK).correlationId(102).sessionId(SESSION)
                .processingMicros(42).seal(answer, new SessionMac(axonKey));
        assertEquals(vector.get("response"), hex(sealed, responseLength));
        // and the checks accept them
        assertTrue(new SessionMac(axonKey).valid(ResponseFlyweight.MAC_DOMAIN, sealed, 0, ResponseFlyweight.MAC_OFFSET));
        assertTrue(BodyHash.get().matches(sealed, ResponseFlyweight.HEADER_LENGTH, answer.length, ResponseFlyweight.BODY_HASH_OFFSET));
        sealed.putByte(ResponseFlyweight.HEADER_LENGTH, (byte) 9);
        assertFalse(BodyHash.get().matches(sealed, ResponseFlyweight.HEADER_LENGTH, answer.length, ResponseFlyweight.BODY_HASH_OFFSET));
        sealed.putByte(FrameHeader.STATUS_OFFSET, (byte) 1);
        assertFalse(new SessionMac(axonKey).valid(ResponseFlyweight.MAC_DOMAIN, sealed, 0, ResponseFlyweight.MAC_OFFSET));
    }

    /** The {@code name = hex} lines of the README's test vector block (a name's hex may follow on the next line). */
    private static Map<String, String> readmeVector() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf(lines.stream().filter(l -> l.startsWith("**Test vector**")).findFirst().orElseThrow());
        Map<String, String> vector = new LinkedHashMap<>();
        String name = null;
        boolean inBlock = false;
        for (String line : lines.subList(start, lines.size())) {
            if (line.startsWith("```")) {
                if (inBlock) {
                    break;
                }
                inBlock = true;
                continue;
            }
            if (!inBlock) {
                continue;
            }
            if (!line.startsWith(" ")) {
                name = line.split("[ (]")[0];
            }
            int eq = line.lastIndexOf("= ");
            if (eq >= 0 && name != null && line.substring(eq + 2).trim().matches("[0-9a-f]+")) {
                vector.put(name, line.substring(eq + 2).trim());
            }
        }
        assertTrue(vector.keySet().containsAll(List.of("caller-x25519-private", "miner-x25519-private", "hello", "ack", "key",
                "request", "response")), "the README's vector has every line: " + vector.keySet());
        return vector;
    }

    private static PrivateKey x25519(String hex) throws Exception {
        return KeyFactory.getInstance("X25519").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, HEX.parseHex(hex)));
    }

    /** The raw public key of an X25519 private key, by agreeing with the base point (u = 9). */
    private static byte[] publicOf(PrivateKey key) throws Exception {
        javax.crypto.KeyAgreement agreement = javax.crypto.KeyAgreement.getInstance("X25519");
        agreement.init(key);
        byte[] basePoint = new byte[32];
        basePoint[0] = 9;
        byte[] x509 = HEX.parseHex("302a300506032b656e032100" + HEX.formatHex(basePoint));
        agreement.doPhase(KeyFactory.getInstance("X25519").generatePublic(new java.security.spec.X509EncodedKeySpec(x509)), true);
        return agreement.generateSecret();
    }

    private static String hex(org.agrona.DirectBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return HEX.formatHex(bytes);
    }
}
