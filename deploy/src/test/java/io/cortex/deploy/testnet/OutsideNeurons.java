package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.cli.Api;
import io.cortex.deploy.cli.Wallets;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.Neuron;
import io.cortex.core.identity.Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An outside miner and an outside validator beside a local testnet, each a {@code cortex} process of its own
 * with a wallet made by {@code cortex wallet create}, as the tests run them on subnet 1; and their standing in
 * the metagraph, awaited with a deadline while both processes stay alive.
 */
final class OutsideNeurons {
    static final int NETUID = 1;
    private static final Pattern STANDING_EPOCH = Pattern.compile("epoch (\\d+): uid");

    final CortexProcess miner;
    final Address minerHotkey;
    final CortexProcess validator;
    final Address validatorHotkey;

    OutsideNeurons(CortexProcess miner, Address minerHotkey, CortexProcess validator, Address validatorHotkey) {
        this.miner = miner;
        this.minerHotkey = minerHotkey;
        this.validator = validator;
        this.validatorHotkey = validatorHotkey;
    }

    /** Subnet 1's metagraph and the two neurons in it (null while one is not registered). */
    record Standing(Metagraph graph, Neuron miner, Neuron validator) {
        boolean earning() {
            return miner != null && validator != null && miner.getIncentive() > 0 && validator.getDividends() > 0;
        }
    }

    /** The file the wallets' password is read from ({@code --password-file}), written under {@code home}. */
    static Path password(Path home) throws IOException {
        return Files.writeString(home.resolve("password"), "correct horse battery staple\n", StandardCharsets.UTF_8);
    }

    /** {@code cortex wallet create NAME}, then alice sends it {@code tao}; the wallet's hotkey. */
    static Address fundedWallet(Path home, Path password, String name, String tao) {
        CliRun.ok("wallet", "create", name, "--password-file", password.toString());
        CliRun.ok("wallet", "transfer", "--from", "alice", "--to", name, "--amount", tao);
        return hotkey(home, name);
    }

    static Address hotkey(Path home, String wallet) {
        return new Wallets(home.resolve("wallets")).hotkey(wallet, Wallets.DEFAULT_HOTKEY).address();
    }

    /** {@code cortex validator run} for {@code wallet}, staking 1000 TAO and querying every 100 ms, its output in a log. */
    static CortexProcess startValidator(Path home, Path password, String wallet, String nodes) throws IOException {
        return CortexProcess.start(home, home.resolve("validator.log"), "validator", "run", "--wallet", wallet,
                "--netuid", Integer.toString(NETUID), "--node", nodes, "--password-file", password.toString(),
                "--stake", "1000", "--round-interval", "100");
    }

    /**
     * Polls the metagraph through {@code api} until {@code wanted} holds ({@code what} says what that is); the
     * standing then. Fails as soon as either process has exited, and after {@code within}, with the standing last seen.
     */
    Standing await(Api api, Duration within, String what, Predicate<Standing> wanted) throws InterruptedException {
        Standing[] last = {null};
        return LiveTestnet.awaitValue(within, () -> what + "; " + (last[0] == null ? "the ledger never answered"
                : "last seen in epoch " + last[0].graph().getEpochIndex() + ": miner " + last[0].miner() + ", validator "
                + last[0].validator()) + outputs(), () -> {
            Metagraph graph = LiveTestnet.quietly(() -> api.call(api.ledger().subnet(NetuidRequest.newBuilder()
                    .setNetuid(NETUID).build())).getMetagraph());
            if (graph != null) {
                last[0] = new Standing(graph, find(graph, minerHotkey).orElse(null), find(graph, validatorHotkey).orElse(null));
                if (wanted.test(last[0])) {
                    return last[0];
                }
            }
            assertTrue(miner.process.isAlive(), "the miner exited:\n" + miner.output());
            assertTrue(validator.process.isAlive(), "the validator exited:\n" + validator.output());
            return null;
        });
    }

    /** The epoch of the last standing line the process printed ("epoch N: uid ..."), or -1. */
    static long lastStandingEpoch(CortexProcess process) {
        Matcher m = STANDING_EPOCH.matcher(process.output());
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    /** SIGTERM to both: each stops cleanly (exit 143, the signal's) and printed no exception. */
    void stopCleanly() throws InterruptedException {
        assertEquals(143, miner.terminate(Duration.ofSeconds(20)), "the miner stops on SIGTERM" + outputs());
        assertEquals(143, validator.terminate(Duration.ofSeconds(20)), "the validator stops on SIGTERM" + outputs());
        assertFalse(miner.output().contains("Exception"), "no exception:\n" + miner.output());
        assertFalse(validator.output().contains("Exception"), "no exception:\n" + validator.output());
    }

    /** Both processes' output, for a failure's message. */
    String outputs() {
        return "\nminer:\n" + miner.output() + "\nvalidator:\n" + validator.output();
    }

    static Optional<Neuron> find(Metagraph graph, Address hotkey) {
        return graph.getNeuronsList().stream().filter(n -> n.getHotkey().equals(hotkey.toString())).findFirst();
    }
}
