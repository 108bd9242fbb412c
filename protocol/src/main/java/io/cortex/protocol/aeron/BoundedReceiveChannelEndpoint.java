package io.cortex.protocol.aeron;

import io.aeron.driver.DataPacketDispatcher;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.media.ReceiveChannelEndpoint;
import io.aeron.driver.media.UdpChannel;
import io.aeron.protocol.SetupFlyweight;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The node's UDP receive endpoint, refusing what an unauthenticated peer could make the media driver
 * allocate (issue 14). An Aeron SETUP frame, forty-odd bytes from anyone, makes the driver map a log buffer
 * of three terms for the image it announces: a setup claiming a 1 GiB term costs the node 3 GiB of mapped
 * file. Setups whose term length exceeds {@code maxTermLength} or whose MTU exceeds {@code maxMtu}, or for a
 * stream the node does not read, are dropped here before the driver sees them, and counted.
 */
final class BoundedReceiveChannelEndpoint extends ReceiveChannelEndpoint {
    private final int maxTermLength;
    private final int maxMtu;
    private final AtomicLong refused;
    private final RefusalLog log;

    BoundedReceiveChannelEndpoint(UdpChannel channel, DataPacketDispatcher dispatcher, AtomicCounter statusIndicator,
                                  MediaDriver.Context context, int maxTermLength, int maxMtu, AtomicLong refused,
                                  RefusalLog log) {
        super(channel, dispatcher, statusIndicator, context);
        this.maxTermLength = maxTermLength;
        this.maxMtu = maxMtu;
        this.refused = refused;
        this.log = log;
    }

    @Override
    public void onSetupMessage(SetupFlyweight header, UnsafeBuffer buffer, int length, InetSocketAddress source,
                               int transportIndex) {
        int stream = header.streamId();
        if (header.termLength() > maxTermLength || header.mtuLength() > maxMtu
                || (stream != QueryTransport.AXON_STREAM && stream != QueryTransport.DENDRITE_STREAM)) {
            refused.incrementAndGet();
            int term = header.termLength();
            int mtu = header.mtuLength();
            log.refused("oversized-setup", () -> "SETUP from " + source + " stream " + stream + " term length " + term
                    + " mtu " + mtu + " (at most " + maxTermLength + " and " + maxMtu + ")");
            return;
        }
        super.onSetupMessage(header, buffer, length, source, transportIndex);
    }
}
