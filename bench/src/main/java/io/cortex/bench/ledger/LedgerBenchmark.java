package io.cortex.bench.ledger;

import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.sim.LedgerSimulation;
import io.cortex.ledger.state.Block;
import io.cortex.ledger.state.BlockResult;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ledger's throughput (issue 3): signature-verified transfers applied per second, with the bare
 * Ed25519 verification that bounds it as the baseline (Bouncy Castle's, which {@link Keypair} uses, and
 * the JDK provider's, which it used before), and blocks per second of
 * {@code ledger simulate} at 16 subnets x 256 neurons in steady state.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class LedgerBenchmark {
    static final int BLOCK = 1000;

    /** A genesis with 1000 funded coldkeys and a block of 1000 signed transfers between them. */
    @State(Scope.Benchmark)
    public static class Transfers {
        LedgerState genesis;
        List<SignedTransaction> block;
        Keypair signer;
        byte[] message;
        byte[] signature;
        PublicKey jdkPublicKey;

        @Setup
        public void setUp() throws GeneralSecurityException {
            List<Keypair> keys = new ArrayList<>();
            Map<Address, Long> balances = new TreeMap<>();
            for (int i = 0; i < BLOCK; i++) {
                Keypair k = Keypair.fromSeed(Canonical.sha256(("bench-" + i).getBytes()));
                keys.add(k);
                balances.put(k.address(), Rao.tao(1000));
            }
            genesis = LedgerState.genesis(LedgerConfig.devnet().withBalances(balances));
            block = new ArrayList<>();
            for (int i = 0; i < BLOCK; i++) {
                block.add(SignedTransaction.sign(keys.get(i), 0,
                        new Transaction.Transfer(keys.get((i + 1) % BLOCK).address(), Rao.tao(1))));
            }
            signer = keys.get(0);
            message = new byte[120];
            signature = signer.sign(message);
            byte[] x509 = HexFormat.of().parseHex("302a300506032b6570032100");
            x509 = Arrays.copyOf(x509, x509.length + Address.LENGTH);
            signer.address().writeTo(x509, x509.length - Address.LENGTH);
            jdkPublicKey = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(x509));
        }
    }

    /** A simulation at 16 subnets x 256 neurons past its set-up (created, registered, staked). */
    @State(Scope.Benchmark)
    public static class Network {
        LedgerSimulation simulation;

        @Setup
        public void setUp() {
            simulation = new LedgerSimulation(new LedgerSimulation.Settings(Long.MAX_VALUE, 16, 256, 1));
            simulation.prepare();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BLOCK)
    public BlockResult verifiedTransfers(Transfers t) {
        LedgerState state = t.genesis.snapshot();
        return state.apply(new Block(1, 0, t.block));
    }

    @Benchmark
    public boolean ed25519Verify(Transfers t) {
        return Keypair.verify(t.signer.address(), t.message, t.signature);
    }

    /** The JDK provider's verification of the same signature, the key decoded each time as Keypair did. */
    @Benchmark
    public boolean jdkEd25519Verify(Transfers t) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(t.jdkPublicKey);
        s.update(t.message);
        return s.verify(t.signature);
    }

    @Benchmark
    public BlockResult simulatedBlock16x256(Network n) {
        return n.simulation.step();
    }
}
