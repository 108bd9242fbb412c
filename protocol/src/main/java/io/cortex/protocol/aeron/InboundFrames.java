package io.cortex.protocol.aeron;

import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The one way frames come in, for the axon and the dendrite alike. Aeron fragments are reassembled per image
 * (an Aeron session id alone may repeat across senders and streams) into a buffer the image keeps, never past
 * the largest frame the side accepts: a longer message is dropped from the fragment that overflows, and its
 * later fragments are skipped. A whole frame must carry this protocol's version, and goes to the handler of its
 * type when its length is within the type's bounds. Everything else is dropped and counted. Runs on the poller
 * thread only; allocates only the first time an image sends a fragmented message.
 */
final class InboundFrames implements FragmentHandler {
    /** Takes one whole frame; the buffer is valid only during the call. */
    @FunctionalInterface
    interface Handler {
        void onFrame(DirectBuffer buffer, int offset, int length, Image image);
    }

    /**
     * Sees the first fragment of a fragmented message, which holds its whole header: false ends the message
     * there (the check answered or counted it), and its other fragments are never kept.
     */
    @FunctionalInterface
    interface FirstFragment {
        boolean keep(DirectBuffer buffer, int offset, int length);
    }

    /** An image's message being reassembled; kept for its next one. */
    private static final class Partial {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        int length;
        boolean discard;
    }

    private final int maxFrame;
    private final AtomicLong received;
    private final AtomicLong dropped;
    private final FirstFragment first;
    private final Handler[] handlers = new Handler[256];
    private final int[] minLength = new int[256];
    private final int[] maxLength = new int[256];
    private final Long2ObjectHashMap<Partial> partials = new Long2ObjectHashMap<>();
    /** Images whose reassembly buffers are kept; past this, a finished message's buffer goes. */
    static final int KEPT_IMAGES = 256;
    /** Fragments the poller takes from one subscription at a time, so that no stream starves the others. */
    static final int FRAGMENTS_PER_POLL = 16;

    /**
     * @param received counts every message that ends here as a whole frame, or at its first fragment (null: not counted)
     * @param dropped counts every message or fragment dropped here
     */
    InboundFrames(int maxFrame, AtomicLong received, AtomicLong dropped, FirstFragment first) {
        this.maxFrame = maxFrame;
        this.received = received;
        this.dropped = dropped;
        this.first = first;
    }

    InboundFrames(int maxFrame, AtomicLong dropped) {
        this(maxFrame, null, dropped, (b, o, l) -> true);
    }

    /** Frames of {@code type} with a length in [min, max] go to {@code handler}. */
    InboundFrames on(byte type, int min, int max, Handler handler) {
        handlers[type & 0xFF] = handler;
        minLength[type & 0xFF] = min;
        maxLength[type & 0xFF] = max;
        return this;
    }

    /** Polls each of the side's subscriptions into this; returns the fragments read. */
    int poll(List<Subscription> subscriptions) {
        int fragments = 0;
        for (Subscription s : subscriptions) {
            fragments += s.poll(this, FRAGMENTS_PER_POLL);
        }
        return fragments;
    }

    @Override
    public void onFragment(DirectBuffer buffer, int offset, int length, Header header) {
        byte flags = header.flags();
        Image image = (Image) header.context();
        if ((flags & FrameDescriptor.UNFRAGMENTED) == FrameDescriptor.UNFRAGMENTED) {
            dispatch(buffer, offset, length, image);
            return;
        }
        long key = image.correlationId();
        if ((flags & FrameDescriptor.BEGIN_FRAG_FLAG) != 0) {
            Partial p = partials.get(key);
            if (p == null) {
                p = new Partial();
                partials.put(key, p);
            } else if (p.length > 0 && !p.discard) {
                count(dropped); // the image's last message never ended
            }
            p.length = 0;
            p.discard = false;
            if (!first.keep(buffer, offset, length)) {
                p.discard = true;
                count(received);
                return;
            }
            append(p, buffer, offset, length);
            return;
        }
        Partial p = partials.get(key);
        if (p == null) {
            count(dropped); // a middle or an end without its beginning
            return;
        }
        if (!p.discard) {
            append(p, buffer, offset, length);
        }
        if ((flags & FrameDescriptor.END_FRAG_FLAG) != 0) {
            if (partials.size() > KEPT_IMAGES) {
                partials.remove(key);
            }
            if (!p.discard) {
                dispatch(p.buffer, 0, p.length, image);
            }
            p.length = 0;
            p.discard = false;
        }
    }

    private void append(Partial p, DirectBuffer buffer, int offset, int length) {
        if (p.length + length > maxFrame) {
            p.discard = true;
            count(dropped); // longer than any valid frame, whatever it declared
            return;
        }
        p.buffer.putBytes(p.length, buffer, offset, length);
        p.length += length;
    }

    /** A whole frame: its version, then the handler of its type, within the type's lengths. */
    void dispatch(DirectBuffer buffer, int offset, int length, Image image) {
        count(received);
        if (length < 2 || FrameHeader.version(buffer, offset) != FrameHeader.VERSION) {
            count(dropped);
            return;
        }
        int type = FrameHeader.type(buffer, offset) & 0xFF;
        Handler handler = handlers[type];
        if (handler == null || length < minLength[type] || length > maxLength[type]) {
            count(dropped);
            return;
        }
        handler.onFrame(buffer, offset, length, image);
    }

    private static void count(AtomicLong counter) {
        if (counter != null) {
            counter.incrementAndGet();
        }
    }
}
