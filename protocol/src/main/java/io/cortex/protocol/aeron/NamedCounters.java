package io.cortex.protocol.aeron;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters a side of the transport shows by name ({@link AxonCounters}, {@link Dendrite.Counters}): each is
 * named once, where it is made, and {@link #snapshot} reads them all in that order. Counters are added while
 * their owner is built, and only read after.
 */
final class NamedCounters {
    private final Map<String, AtomicLong> counters = new LinkedHashMap<>();

    /** A new counter, shown as {@code name}. */
    AtomicLong add(String name) {
        return add(name, new AtomicLong());
    }

    /** {@code counter}, counted elsewhere too, shown as {@code name}. */
    AtomicLong add(String name, AtomicLong counter) {
        counters.put(name, counter);
        return counter;
    }

    /** Every counter by name, for the node's status. */
    Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        counters.forEach((name, counter) -> values.put(name, counter.get()));
        return values;
    }
}
