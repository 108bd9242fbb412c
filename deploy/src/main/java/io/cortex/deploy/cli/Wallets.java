package io.cortex.deploy.cli;

import io.cortex.protocol.identity.Address;
import io.cortex.protocol.identity.DevKeys;
import io.cortex.protocol.identity.Keypair;
import io.cortex.protocol.identity.WalletFile;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The wallets the command line knows: the dev wallets {@code alice ... ferdie} (funded on a local testnet,
 * refused by a ledger outside dev mode) and the wallets in {@code ~/.cortex/wallets} ({@link Home}), one
 * directory each: {@code coldkey} (encrypted) and {@code hotkeys/<name>} (not). A dev wallet's hotkeys are
 * its dev hotkeys: {@code default} is index 0, {@code 1} ... {@code 63} the others.
 */
public final class Wallets {
    public static final String DEFAULT_HOTKEY = "default";

    private final Path dir;

    public Wallets(Path dir) {
        this.dir = dir;
    }

    public static Wallets standard() {
        return new Wallets(Home.wallets());
    }

    /** A wallet entry for {@code wallet list}. */
    public record Entry(String name, Address coldkey, List<String> hotkeys, boolean dev) {
    }

    boolean isDev(String name) {
        return DevKeys.NAMES.contains(name) && !Files.isDirectory(dir.resolve(name));
    }

    private Path coldkeyFile(String name) {
        return dir.resolve(name).resolve("coldkey");
    }

    private Path hotkeyFile(String name, String hotkey) {
        return dir.resolve(name).resolve("hotkeys").resolve(hotkey);
    }

    /** The signing key of a wallet's coldkey; an encrypted one needs the password. */
    public Keypair coldkey(String name, Passwords passwords) {
        if (isDev(name)) {
            return DevKeys.coldkey(name);
        }
        Path file = existing(name);
        try {
            char[] password = WalletFile.encrypted(file) ? passwords.password(name) : new char[0];
            return WalletFile.read(file, password);
        } catch (WalletFile.WrongPasswordException e) {
            throw new CliFailure("wrong password for wallet " + name);
        } catch (IOException e) {
            throw new CliFailure("cannot read wallet " + name + ": " + e.getMessage(), e);
        }
    }

    /** A wallet's hotkey by name. */
    public Keypair hotkey(String wallet, String hotkey) {
        if (isDev(wallet)) {
            int index;
            try {
                index = hotkey.equals(DEFAULT_HOTKEY) ? 0 : Integer.parseInt(hotkey);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("dev wallet " + wallet + " has hotkeys 'default' and 1 to "
                        + (DevKeys.HOTKEYS_PER_NAME - 1) + ", not '" + hotkey + "'");
            }
            if (index < 0 || index >= DevKeys.HOTKEYS_PER_NAME) {
                throw new IllegalArgumentException("dev hotkey index " + index + " out of range (0 to "
                        + (DevKeys.HOTKEYS_PER_NAME - 1) + ")");
            }
            return DevKeys.hotkey(wallet, index);
        }
        existing(wallet);
        Path file = hotkeyFile(wallet, hotkey);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("wallet " + wallet + " has no hotkey '" + hotkey + "'");
        }
        try {
            return WalletFile.read(file, new char[0]);
        } catch (IOException e) {
            throw new CliFailure("cannot read hotkey " + hotkey + " of wallet " + wallet + ": " + e.getMessage(), e);
        }
    }

    /** An address as given ({@code cx...}) or a wallet's coldkey address, read without a password. */
    public Address coldkeyAddress(String nameOrAddress) {
        if (nameOrAddress.startsWith("cx")) {
            return Address.parse(nameOrAddress);
        }
        if (isDev(nameOrAddress)) {
            return DevKeys.coldkey(nameOrAddress).address();
        }
        try {
            return WalletFile.address(existing(nameOrAddress));
        } catch (IOException e) {
            throw new CliFailure("cannot read wallet " + nameOrAddress + ": " + e.getMessage(), e);
        }
    }

    /** An address as given ({@code cx...}), else the named hotkey of the wallet. */
    public Address hotkeyAddress(String wallet, String hotkeyOrAddress) {
        if (hotkeyOrAddress.startsWith("cx")) {
            return Address.parse(hotkeyOrAddress);
        }
        return hotkey(wallet, hotkeyOrAddress).address();
    }

    /** Creates a wallet: a new coldkey sealed under the password, and a hotkey named {@code default}. */
    public Entry create(String name, char[] password) {
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("a wallet name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (Files.exists(dir.resolve(name))) {
            throw new IllegalArgumentException("wallet " + name + " exists already (" + dir.resolve(name) + ")");
        }
        if (password.length < 8) {
            throw new IllegalArgumentException("a coldkey password has at least 8 characters");
        }
        Keypair coldkey = Keypair.generate();
        Keypair hotkey = Keypair.generate();
        try {
            Files.createDirectories(hotkeyFile(name, DEFAULT_HOTKEY).getParent());
            WalletFile.writeEncrypted(coldkeyFile(name), coldkey, password);
            WalletFile.writePlain(hotkeyFile(name, DEFAULT_HOTKEY), hotkey);
        } catch (IOException e) {
            throw new CliFailure("cannot write wallet " + name + " under " + dir + ": " + e.getMessage(), e);
        }
        return new Entry(name, coldkey.address(), List.of(DEFAULT_HOTKEY), false);
    }

    /** The dev wallets, then the wallets on disk by name. */
    public List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        for (String name : DevKeys.NAMES) {
            if (isDev(name)) {
                entries.add(new Entry(name, DevKeys.coldkey(name).address(), List.of(DEFAULT_HOTKEY), true));
            }
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> wallets = Files.list(dir)) {
                for (Path w : wallets.sorted().toList()) {
                    if (Files.isRegularFile(w.resolve("coldkey"))) {
                        List<String> hotkeys = new ArrayList<>();
                        if (Files.isDirectory(w.resolve("hotkeys"))) {
                            try (Stream<Path> h = Files.list(w.resolve("hotkeys"))) {
                                h.sorted().forEach(p -> hotkeys.add(p.getFileName().toString()));
                            }
                        }
                        entries.add(new Entry(w.getFileName().toString(), WalletFile.address(w.resolve("coldkey")),
                                hotkeys, false));
                    }
                }
            } catch (IOException e) {
                throw new CliFailure("cannot list wallets in " + dir + ": " + e.getMessage(), e);
            }
        }
        return entries;
    }

    private Path existing(String name) {
        Path file = coldkeyFile(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no wallet " + name + " (dev wallets: " + String.join(", ", DevKeys.NAMES)
                    + "; create one with ./cortex wallet create " + name + ")");
        }
        return file;
    }

    /** Where a coldkey's password comes from: {@code --password-file}, {@code CORTEX_PASSWORD}, or the console. */
    public static final class Passwords {
        private final Path file;

        public Passwords(Path file) {
            this.file = file;
        }

        public char[] password(String wallet) {
            if (file != null) {
                try {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    int newline = text.indexOf('\n');
                    return (newline < 0 ? text : text.substring(0, newline)).strip().toCharArray();
                } catch (IOException e) {
                    throw new CliFailure("cannot read the password file " + file + ": " + e.getMessage(), e);
                }
            }
            String env = System.getenv("CORTEX_PASSWORD");
            if (env != null) {
                return env.toCharArray();
            }
            Console console = System.console();
            if (console != null) {
                char[] typed = console.readPassword("password of wallet %s: ", wallet);
                if (typed != null) {
                    return typed;
                }
            }
            throw new CliFailure("the coldkey of wallet " + wallet
                    + " is encrypted: give --password-file FILE or set CORTEX_PASSWORD");
        }
    }
}
