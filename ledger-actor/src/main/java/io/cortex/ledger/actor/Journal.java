package io.cortex.ledger.actor;

import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.state.Block;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.TransactionCodec;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * What the ledger writes to its journal and snapshot store, and how: one event per block — the block as
 * produced and the state hash it led to — and the state itself as {@code StateCodec} bytes. The format is
 * Cortex's own, versioned by manifest, so a journal stays readable whatever classes are added later (which
 * Kryo's registration order would not promise).
 */
public final class Journal {

    private Journal() {
    }

    /** A block, persisted: what was applied, and the state hash after it (checked on every replay). */
    public record BlockPersisted(long height, long timestamp, List<SignedTransaction> transactions, byte[] stateHash) {
        public BlockPersisted {
            transactions = List.copyOf(transactions);
        }

        public Block block() {
            return new Block(height, timestamp, transactions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BlockPersisted b && b.height == height && b.timestamp == timestamp
                    && b.transactions.equals(transactions) && Arrays.equals(b.stateHash, stateHash);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(height) * 31 + Arrays.hashCode(stateHash);
        }
    }

    /** The ledger state at a block, as {@code StateCodec} bytes. */
    public record LedgerSnapshot(byte[] state) {
    }

    /** The Pekko serializer bound to the two records above (ledger's reference.conf). */
    public static final class Serializer extends SerializerWithStringManifest {
        public static final int IDENTIFIER = 7_331_002;
        static final String BLOCK = "block/1";
        static final String SNAPSHOT = "snapshot/1";

        @Override
        public int identifier() {
            return IDENTIFIER;
        }

        @Override
        public String manifest(Object o) {
            if (o instanceof BlockPersisted) {
                return BLOCK;
            }
            if (o instanceof LedgerSnapshot) {
                return SNAPSHOT;
            }
            throw new IllegalArgumentException("not a ledger journal record: " + o.getClass());
        }

        @Override
        public byte[] toBinary(Object o) {
            if (o instanceof BlockPersisted b) {
                Canonical c = Canonical.bytes().i64(b.height()).i64(b.timestamp()).bytes(b.stateHash())
                        .i32(b.transactions().size());
                for (SignedTransaction tx : b.transactions()) {
                    c.bytes(TransactionCodec.encode(tx));
                }
                return c.toByteArray();
            }
            if (o instanceof LedgerSnapshot s) {
                return s.state().clone();
            }
            throw new IllegalArgumentException("not a ledger journal record: " + o.getClass());
        }

        @Override
        public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
            switch (manifest) {
                case BLOCK -> {
                    try {
                        ByteBuffer in = ByteBuffer.wrap(bytes);
                        long height = in.getLong();
                        long timestamp = in.getLong();
                        byte[] hash = new byte[in.getInt()];
                        in.get(hash);
                        int count = in.getInt();
                        if (count < 0 || count > bytes.length) {
                            throw new IllegalArgumentException("a count of " + count);
                        }
                        List<SignedTransaction> txs = new ArrayList<>(count);
                        for (int i = 0; i < count; i++) {
                            byte[] tx = new byte[in.getInt()];
                            in.get(tx);
                            txs.add(TransactionCodec.decode(tx));
                        }
                        return new BlockPersisted(height, timestamp, txs, hash);
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("a damaged block in the ledger journal: " + e.getMessage(), e);
                    }
                }
                case SNAPSHOT -> {
                    return new LedgerSnapshot(bytes.clone());
                }
                default -> throw new NotSerializableException("unknown ledger journal record " + manifest);
            }
        }
    }
}
