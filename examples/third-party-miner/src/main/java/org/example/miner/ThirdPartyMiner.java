package org.example.miner;

import io.cortex.core.identity.Keypair;
import io.cortex.sdk.OutsideNeuron;
import io.cortex.sdk.Tls;
import io.cortex.sdk.WalletException;
import io.cortex.sdk.Wallets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A miner on a Cortex network, in its own process, with a wallet made by {@code cortex wallet create}:
 *
 * <pre>
 * java -jar target/third-party-miner.jar --wallet mywallet --netuid 1 --node 127.0.0.1:50051
 *     [--hotkey default] [--password-file FILE] [--tls-cert PEM]
 *     [--axon-bind 127.0.0.1:0] [--axon-advertise HOST[:PORT]]
 * </pre>
 *
 * The coldkey's password comes from {@code --password-file}, else {@code CORTEX_PASSWORD}, else the console;
 * never from the command line. The miner registers its hotkey (the coldkey pays the burn) unless it is
 * registered, announces its axon, and answers validators' tasks with {@link SumOfSquaresMiner} until SIGTERM.
 */
public final class ThirdPartyMiner {
    private static final Set<String> OPTIONS = Set.of("--wallet", "--hotkey", "--netuid", "--node", "--password-file",
            "--tls-cert", "--axon-bind", "--axon-advertise");

    private ThirdPartyMiner() {
    }

    public static void main(String[] args) {
        try {
            run(options(args));
        } catch (IllegalArgumentException | WalletException e) {
            System.err.println("third-party-miner: " + e.getMessage()); // bad input, or a wallet that does not open
            System.exit(e instanceof WalletException ? 1 : 2);
        }
    }

    private static void run(Map<String, String> given) {
        String wallet = required(given, "--wallet");
        String hotkeyName = given.getOrDefault("--hotkey", Wallets.DEFAULT_HOTKEY);
        int netuid = Integer.parseInt(required(given, "--netuid"));
        List<String> nodes = List.of(required(given, "--node").split(","));
        Tls tls = given.containsKey("--tls-cert") ? Tls.trusting(Path.of(given.get("--tls-cert"))) : Tls.PLAINTEXT;
        Path passwordFile = given.containsKey("--password-file") ? Path.of(given.get("--password-file")) : null;

        Wallets wallets = Wallets.standard();
        Keypair coldkey = wallets.coldkey(wallet, new Wallets.Passwords(passwordFile));
        Keypair hotkey = wallets.hotkey(wallet, hotkeyName);
        SumOfSquaresMiner model = new SumOfSquaresMiner();
        OutsideNeuron miner = OutsideNeuron.miner(netuid, hotkey, coldkey, model, new OutsideNeuron.Options(nodes, tls,
                given.getOrDefault("--axon-bind", "127.0.0.1:0"), given.get("--axon-advertise")));

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            miner.close();
            System.out.println("stopped after answering " + model.answered() + " tasks");
        }, "third-party-miner-stop"));
        System.out.println("third-party miner " + hotkey.address() + " on subnet " + netuid + ": axon "
                + miner.axonChannel() + ", ledger via " + String.join(",", nodes) + " (" + tls + ")");
        miner.whenStopped().toCompletableFuture().join();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i]) || i + 1 == args.length) {
                throw new IllegalArgumentException("usage: --wallet W --netuid N --node HOST:PORT[,HOST:PORT...] "
                        + "[--hotkey H] [--password-file FILE] [--tls-cert PEM] [--axon-bind HOST:PORT] "
                        + "[--axon-advertise HOST[:PORT]]; not understood: " + args[i]);
            }
            given.put(args[i], args[i + 1]);
        }
        return given;
    }

    private static String required(Map<String, String> given, String option) {
        String value = given.get(option);
        if (value == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        return value;
    }
}
