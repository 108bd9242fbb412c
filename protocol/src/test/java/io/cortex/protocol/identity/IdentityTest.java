package io.cortex.protocol.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
        assertEquals(DevKeys.coldkey("alice").address(), DevKeys.coldkey("alice").address());
        assertNotEquals(DevKeys.coldkey("alice").address(), DevKeys.coldkey("bob").address());
        assertNotEquals(DevKeys.hotkey("alice", 0).address(), DevKeys.hotkey("alice", 1).address());
    }
}
