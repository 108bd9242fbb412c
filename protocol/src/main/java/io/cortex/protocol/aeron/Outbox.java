package io.cortex.protocol.aeron;

import io.aeron.Publication;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Frames Aeron could not take yet: a publication that is still connecting (the first frame to a new
 * peer) or back-pressured. They wait here, in order per publication, and the poller retries them until
 * they go or their time runs out; nothing queues without bound and no thread waits. A frame queued for a
 * publication keeps later frames for it behind it, so a session's nonces arrive in order.
 */
final class Outbox {
    /** How long a frame may wait for its publication. */
    static final long PATIENCE_NANOS = 2_000_000_000L;
    /** Frames waiting per publication before new ones are refused (back-pressure to the sender). */
    static final int MAX_WAITING = 1024;

    private record Waiting(byte[] frame, long deadline) {
    }

    private final Map<Publication, ArrayDeque<Waiting>> waiting = new ConcurrentHashMap<>();
    final AtomicLong expired = new AtomicLong();

    /**
     * Offers the frame now or queues it; false when the publication is closed or too much already waits
     * (a 503 for the caller).
     */
    boolean send(Publication publication, DirectBuffer buffer, int offset, int length) {
        ArrayDeque<Waiting> queue = waiting.get(publication);
        if (queue == null) {
            long result = publication.offer(buffer, offset, length);
            if (result > 0) {
                return true;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                return false;
            }
            queue = waiting.computeIfAbsent(publication, p -> new ArrayDeque<>());
        }
        synchronized (queue) {
            if (queue.size() >= MAX_WAITING) {
                return false;
            }
            byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            queue.add(new Waiting(copy, System.nanoTime() + PATIENCE_NANOS));
        }
        return true;
    }

    /** Retries waiting frames in order; called by the poller. */
    int retry() {
        if (waiting.isEmpty()) {
            return 0;
        }
        int sent = 0;
        long now = System.nanoTime();
        Iterator<Map.Entry<Publication, ArrayDeque<Waiting>>> it = waiting.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Publication, ArrayDeque<Waiting>> e = it.next();
            ArrayDeque<Waiting> queue = e.getValue();
            synchronized (queue) {
                while (!queue.isEmpty()) {
                    Waiting w = queue.peek();
                    if (now > w.deadline()) {
                        queue.poll();
                        expired.incrementAndGet();
                        continue;
                    }
                    long result = e.getKey().offer(new UnsafeBuffer(w.frame()), 0, w.frame().length);
                    if (result > 0) {
                        queue.poll();
                        sent++;
                    } else if (result == Publication.CLOSED) {
                        expired.addAndGet(queue.size());
                        queue.clear();
                    } else {
                        break;
                    }
                }
                if (queue.isEmpty()) {
                    it.remove();
                }
            }
        }
        return sent;
    }
}
