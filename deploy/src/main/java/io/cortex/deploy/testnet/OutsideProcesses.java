package io.cortex.deploy.testnet;

import io.cortex.deploy.support.CliFailure;
import io.cortex.ledger.fixed.Rao;
import io.cortex.core.identity.Address;
import io.cortex.sdk.Wallets;
import io.cortex.subnets.SubnetMechanisms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The testnet's neurons that are not hosted ({@code testnet up --outside K}): each a process of its own,
 * {@code cortex miner run} or {@code cortex validator run}, with a wallet of its own that no node reads. They
 * take the open path a neuron on another machine takes (its keys in its process, transactions signed there and
 * submitted over gRPC with TLS, queries over Aeron UDP), so every run of the testnet shows it working.
 *
 * <p>Their wallets live under {@code DATA/outside/wallets}, sealed under a random password in
 * {@code DATA/outside/password} (0600): a testnet's, not a secret worth more. The chain spec funds their coldkeys.
 */
final class OutsideProcesses {
    /** What each outside coldkey holds at genesis: enough to register and, for a validator, stake. */
    static final long FUNDS_TAO = 10_000;

    /** One outside neuron: its wallet (named after it) and what it runs. */
    record Neuron(String name, boolean validator, int netuid, String mechanism, double quality, Address coldkey) {
    }

    private OutsideProcesses() {
    }

    static Path home(Path dir) {
        return dir.resolve("outside");
    }

    static Path passwordFile(Path dir) {
        return home(dir).resolve("password");
    }

    /** The plan's outside neurons, their wallets made on first use and kept with the data directory. */
    static List<Neuron> prepare(TestnetPlan plan, Path dir) {
        List<Neuron> neurons = new ArrayList<>();
        if (plan.outside() == 0) {
            return neurons;
        }
        Path walletDir = home(dir).resolve("wallets");
        Wallets wallets = new Wallets(walletDir);
        char[] password = password(dir);
        for (int netuid = 1; netuid <= plan.subnets(); netuid++) {
            for (int j = 0; j < plan.outside(); j++) {
                String name = String.format(Locale.ROOT, "sn%d-outside-miner-%d", netuid, j + 1);
                neurons.add(new Neuron(name, false, netuid, plan.mechanism(netuid),
                        plan.minerQuality(plan.hostedMiners() + j), coldkey(wallets, walletDir, name, password)));
            }
            String name = String.format(Locale.ROOT, "sn%d-outside-validator", netuid);
            neurons.add(new Neuron(name, true, netuid, plan.mechanism(netuid), 0, coldkey(wallets, walletDir, name, password)));
        }
        return neurons;
    }

    /** The genesis balances of the outside coldkeys. */
    static Map<Address, Long> balances(List<Neuron> neurons) {
        Map<Address, Long> funded = new TreeMap<>();
        neurons.forEach(n -> funded.put(n.coldkey(), Rao.tao(FUNDS_TAO)));
        return funded;
    }

    /**
     * The command line of an outside neuron: this JVM's java and class path running {@code cortex miner run} or
     * {@code cortex validator run} against every node, verifying the testnet's certificate, its password read
     * from the testnet's file. No key is on it.
     */
    static List<String> command(Neuron n, TestnetPlan plan, Path dir, List<String> nodes, Path certificate, String mainClass) {
        List<String> command = Testnet.javaCommand("-Xmx192m");
        command.addAll(List.of(mainClass, n.validator() ? "validator" : "miner", "run",
                "--wallet", n.name(), "--netuid", Integer.toString(n.netuid()), "--mechanism", n.mechanism(),
                "--node", String.join(",", nodes), "--tls-cert", certificate.toString(),
                "--password-file", passwordFile(dir).toString()));
        if (n.validator()) {
            command.addAll(List.of("--stake", Long.toString(plan.validatorStakeTao()),
                    "--round-interval", Long.toString(plan.roundInterval().toMillis())));
        } else {
            command.addAll(List.of("--quality", Double.toString(n.quality())));
        }
        return command;
    }

    /** The environment of an outside neuron: its own home, where its wallet is and no node's file is. */
    static void environment(Map<String, String> env, Path dir) {
        env.put("CORTEX_HOME", home(dir).toString());
        env.remove("CORTEX_PASSWORD");
        env.remove("CORTEX_NODE");
        String extra = SubnetMechanisms.extraClasspath();
        if (!extra.isEmpty()) {
            env.put("CORTEX_CLASSPATH", extra); // a subnet of the user's own
        }
    }

    private static Address coldkey(Wallets wallets, Path walletDir, String name, char[] password) {
        if (Files.isDirectory(walletDir.resolve(name))) {
            return wallets.coldkeyAddress(name); // a data directory started before keeps its neurons
        }
        return wallets.create(name, password).wallet().coldkey();
    }

    /** The testnet's password for its outside wallets: made once, 0600 in a 0700 directory. */
    private static char[] password(Path dir) {
        Path file = passwordFile(dir);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent(),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                byte[] random = new byte[18];
                new SecureRandom().nextBytes(random);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n",
                        StandardCharsets.US_ASCII);
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip().toCharArray();
        } catch (IOException e) {
            throw new CliFailure("cannot keep the outside neurons' password in " + file + ": " + e.getMessage(), e);
        }
    }
}
