package io.cortex.protocol.aeron;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a HELLO may ask for its answers (issue 14): {@code aeron:ipc} on the IPC reply stream when it came over
 * IPC (a process on this node); over UDP, {@code aeron:udp?endpoint=host:port} on the UDP reply stream, where
 * that channel is an axon announced on the subnet and its host is the one the HELLO came from. So the axon
 * never sends anything to an address or port a peer merely names.
 */
final class ReplyChannels {
    private ReplyChannels() {
    }

    static boolean allowed(Axon.CallerPolicy policy, int netuid, String channel, int stream, String source) {
        boolean overIpc = QueryTransport.IPC.equals(source);
        if (QueryTransport.IPC.equals(channel)) {
            return overIpc && stream == QueryTransport.DENDRITE_IPC_STREAM;
        }
        if (overIpc || stream != QueryTransport.DENDRITE_STREAM || !acceptable(channel) || !policy.announced(netuid, channel)) {
            return false;
        }
        return sameHost(channelHost(channel), sourceHost(source));
    }

    private static final Pattern UDP_REPLY = Pattern.compile(
            "aeron:udp\\?endpoint=(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*|\\[[0-9A-Fa-f:.]{2,45}\\])"
                    + ":([0-9]{1,5})");

    /**
     * Reply channels take exactly the two forms dendrites announce, {@code aeron:ipc} and
     * {@code aeron:udp?endpoint=host:port}: no other parameter (a caller must not choose the axon's buffer
     * sizes), a plain host name or address, a port in range.
     */
    static boolean acceptable(String channel) {
        if (QueryTransport.IPC.equals(channel)) {
            return true;
        }
        Matcher m = UDP_REPLY.matcher(channel);
        if (!m.matches()) {
            return false;
        }
        int port = Integer.parseInt(m.group(1));
        return port > 0 && port <= 65_535;
    }

    /** The host of an {@code aeron:udp?endpoint=host:port} channel, brackets removed. */
    static String channelHost(String channel) {
        String endpoint = channel.substring(channel.indexOf('=') + 1);
        return stripBrackets(endpoint.substring(0, endpoint.lastIndexOf(':')));
    }

    /** The host of an Aeron image's source identity ({@code ip:port}, {@code [v6]:port}). */
    static String sourceHost(String source) {
        int colon = source.lastIndexOf(':');
        return stripBrackets(colon < 0 ? source : source.substring(0, colon));
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Whether a channel's host (a name or a literal) is the address a frame came from. */
    static boolean sameHost(String channelHost, String sourceHost) {
        try {
            java.net.InetAddress source = java.net.InetAddress.getByName(sourceHost);
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(channelHost)) {
                if (a.equals(source)) {
                    return true;
                }
            }
            return false;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
