package io.cortex.core.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdentityTest {
    @Test
    void addressesRoundTripAndRejectATypo() {
        Address a = Keypair.generate().address();
        String text = a.toString();

        assertEquals(a, Address.parse(text));
        assertTrue(text.startsWith("cx"));
        char last = text.charAt(text.length() - 1);
        String typo = text.substring(0, text.length() - 1) + (last == 'z' ? 'y' : 'z');
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Address.parse(typo));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Address.parse("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"));
    }

    @Test
    void signaturesVerifyOnlyForTheSignerAndTheMessage() {
        Keypair alice = DevKeys.coldkey("alice");
        Keypair bob = DevKeys.coldkey("bob");
        byte[] message = "transfer 5 TAO".getBytes(StandardCharsets.UTF_8);
        byte[] signature = alice.sign(message);

        assertTrue(Keypair.verify(alice.address(), message, signature));
        assertFalse(Keypair.verify(bob.address(), message, signature));
        assertFalse(Keypair.verify(alice.address(), "transfer 6 TAO".getBytes(StandardCharsets.UTF_8), signature));
        assertFalse(Keypair.verify(alice.address(), message, new byte[64]));
        assertFalse(Keypair.verify(alice.address(), message, new byte[0]));
    }

    @Test
    void devKeysAreStableAndDistinct() {
        // dev keys derive from their names: the same on every machine and in every version (docs and tests name them)
        assertEquals("cxTJvCRuNMyQ81xXTTicdk3Jjr7DE5m9DJRCq5J5RJPqwicY8ro", DevKeys.coldkey("alice").address().toString());
        assertEquals("cx21dE1NEJzXffWjF1xnp36EwAjiorWGDcvodeHsF7pqjRigVxuX", DevKeys.hotkey("alice", 0).address().toString());
        assertNotEquals(DevKeys.coldkey("alice").address(), DevKeys.coldkey("bob").address());
        assertNotEquals(DevKeys.hotkey("alice", 0).address(), DevKeys.hotkey("alice", 1).address());
    }

    @Test
    void signaturesAreRfc8032s() {
        // RFC 8032 section 7.1, TEST 1 and TEST 2: secret key, public key, message, signature
        String[][] vectors = {
            {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
            {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
        };
        HexFormat hex = HexFormat.of();
        for (String[] v : vectors) {
            Keypair key = Keypair.fromSeed(hex.parseHex(v[0]));
            byte[] message = hex.parseHex(v[2]);
            assertEquals(Address.of(hex.parseHex(v[1])), key.address());
            assertEquals(v[3], hex.formatHex(key.sign(message)));
            assertTrue(Keypair.verify(key.address(), message, hex.parseHex(v[3])));
        }
    }

    @Test
    void keysAndSignaturesAreTheJdkProvidersToo() throws GeneralSecurityException {
        // addresses in wallets and on the ledger were made by the JDK's Ed25519 before Bouncy Castle's
        SplittableRandom random = new SplittableRandom(8032);
        for (int i = 0; i < 40; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            byte[] message = new byte[random.nextInt(200)];
            random.nextBytes(message);

            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            });
            java.security.KeyPair jdk = generator.generateKeyPair();
            byte[] encoded = jdk.getPublic().getEncoded();
            Keypair key = Keypair.fromSeed(seed);
            assertEquals(Address.of(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)), key.address());

            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(jdk.getPrivate());
            signer.update(message);
            byte[] expected = signer.sign();
            byte[] signature = key.sign(message);
            assertArrayEquals(expected, signature);

            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(jdk.getPublic());
            verifier.update(message);
            assertTrue(verifier.verify(signature));
            signature[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
            assertFalse(Keypair.verify(key.address(), message, signature));
        }
    }
}
