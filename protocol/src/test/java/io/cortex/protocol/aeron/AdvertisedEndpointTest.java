package io.cortex.protocol.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A transport binds one address and advertises another: the axon channel it announces and the reply channel
 * its HELLOs name are the advertised endpoint, and a query from another node reaches a wildcard-bound axon
 * through it (real Aeron, UDP on loopback).
 */
class AdvertisedEndpointTest {
    private final Keypair validator = DevKeys.hotkey("alice", 1);
    private final Keypair miner = DevKeys.hotkey("bob", 1);

    @Test
    void aWildcardBindIsReachedThroughTheAdvertisedAddress() {
        try (QueryTransport wildcard = QueryTransport.start(new QueryTransport.Context().name("wildcard")
                .host("0.0.0.0").advertise("127.0.0.1"));
             QueryTransport caller = QueryTransport.start(new QueryTransport.Context().name("caller"))) {
            int port = Integer.parseInt(wildcard.bindEndpoint().substring(wildcard.bindEndpoint().lastIndexOf(':') + 1));
            assertEquals("0.0.0.0:" + port, wildcard.bindEndpoint());
            assertEquals("aeron:udp?endpoint=127.0.0.1:" + port, wildcard.axonChannel(), "the port is the bound one");
            wildcard.axon().register(miner, (request, responder) -> responder.respond(Status.OK, request.body()),
                    QueryPathTest.anyoneRepliedAt(caller));

            Dendrite.Response r = caller.dendrite().query(validator, miner.address(), wildcard.axonChannel(), 1,
                    new byte[] {7, 8}, Duration.ofSeconds(5)).join();

            assertEquals(Status.OK, r.status());
            assertArrayEquals(new byte[] {7, 8}, r.body());
        }
    }

    @Test
    void anAdvertisedPortOverridesTheBoundOne() {
        try (QueryTransport t = QueryTransport.start(new QueryTransport.Context().name("nat").advertise("127.0.0.1:40999"))) {
            assertEquals("aeron:udp?endpoint=127.0.0.1:40999", t.axonChannel());
            assertTrue(t.bindEndpoint().startsWith("127.0.0.1:"));
        }
    }

    @Test
    void aWildcardBindWithoutAnAdvertisedAddressIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QueryTransport.advertised(new QueryTransport.Context().host("0.0.0.0"), 4000));
        assertTrue(e.getMessage().contains("--axon-advertise"), e.getMessage());
    }
}
