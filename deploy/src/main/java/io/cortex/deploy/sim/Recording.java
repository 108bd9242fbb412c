package io.cortex.deploy.sim;

import io.cortex.ledger.state.Block;
import io.cortex.ledger.state.ChainSpec;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.TransactionCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulation's history as {@code cortex replay --recording DIR} reads it: {@code chain.json} (the ledger
 * configuration the simulation ran, as a chain spec) and {@code blocks.bin}, every block in order with the
 * state hash it gave. {@code blocks.bin} starts with {@link #FORMAT}; then per block its height and
 * timestamp (i64), its transaction count (i32), each transaction as {@link TransactionCodec} bytes behind
 * their length (i32), and the 32-byte state hash; big-endian throughout.
 */
public final class Recording {
    public static final String FORMAT = "cortex-recording/1";
    static final String CHAIN = "chain.json";
    static final String BLOCKS = "blocks.bin";

    private Recording() {
    }

    /** Writes a simulation's blocks as they are applied. */
    public static final class Writer implements Closeable {
        private final DataOutputStream out;

        Writer(Path dir, LedgerConfig config, String networkId) throws IOException {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(CHAIN), new ChainSpec(networkId, config, List.of()).toJson());
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(BLOCKS)), 1 << 16));
            out.writeUTF(FORMAT);
        }

        void write(Block block, byte[] stateHash) {
            try {
                out.writeLong(block.height());
                out.writeLong(block.timestamp());
                out.writeInt(block.transactions().size());
                for (SignedTransaction tx : block.transactions()) {
                    byte[] bytes = TransactionCodec.encode(tx);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
                out.write(stateHash);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the recording", e);
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Sees each recorded block with the state hash it gave. */
    public interface BlockListener {
        void block(Block block, byte[] stateHash);
    }

    /** The ledger configuration a recording was made under. */
    public static LedgerConfig config(Path dir) throws IOException {
        Path chain = dir.resolve(CHAIN);
        if (!Files.isRegularFile(chain) || !Files.isRegularFile(dir.resolve(BLOCKS))) {
            throw new IllegalArgumentException(dir + " is not a recording (no " + CHAIN + " and " + BLOCKS
                    + "; cortex simulate --record DIR makes one)");
        }
        return ChainSpec.read(chain).ledger();
    }

    /** Reads every block of a recording, in order. */
    public static void read(Path dir, BlockListener listener) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(BLOCKS)), 1 << 16))) {
            String format = in.readUTF();
            if (!format.equals(FORMAT)) {
                throw new IllegalArgumentException(dir.resolve(BLOCKS) + ": format '" + format + "' is not " + FORMAT);
            }
            while (true) {
                long height;
                try {
                    height = in.readLong();
                } catch (EOFException end) {
                    return;
                }
                long timestamp = in.readLong();
                int count = in.readInt();
                List<SignedTransaction> txs = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int length = in.readInt();
                    if (length < 0 || length > TransactionCodec.MAX_BYTES) {
                        throw new IllegalArgumentException(dir.resolve(BLOCKS) + ": a transaction of " + length + " bytes");
                    }
                    txs.add(TransactionCodec.decode(in.readNBytes(length)));
                }
                listener.block(new Block(height, timestamp, txs), in.readNBytes(32));
            }
        }
    }
}
