package io.cortex.ledger.state;

import io.cortex.core.identity.Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads what {@link io.cortex.ledger.audit.Canonical} wrote, for a snapshot: each state part reads its own fields back. */
final class StateReader {
    private final ByteBuffer b;

    StateReader(byte[] bytes) {
        this.b = ByteBuffer.wrap(bytes);
    }

    int i32() {
        return b.getInt();
    }

    int count() {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("damaged ledger snapshot: a count of " + n);
        }
        return n;
    }

    long i64() {
        return b.getLong();
    }

    double f64() {
        return Double.longBitsToDouble(b.getLong());
    }

    boolean bool() {
        return b.get() != 0;
    }

    byte[] bytes() {
        byte[] v = new byte[count()];
        b.get(v);
        return v;
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    Address address() {
        byte[] key = new byte[Address.LENGTH];
        b.get(key);
        return Address.of(key);
    }

    int remaining() {
        return b.remaining();
    }
}
