package io.cortex.sdk;

import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import io.cortex.core.identity.WalletFile;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory of wallets, as {@code cortex wallet create} makes them: one directory per wallet, holding
 * {@code coldkey} (sealed under a password, Argon2id) and {@code hotkeys/<name>} (not sealed: a hotkey signs
 * often and unattended). {@link #standard()} is {@code ~/.cortex/wallets} or {@code $CORTEX_HOME/wallets}
 * ({@link CortexHome}). The dev wallets {@code alice ... ferdie} (funded on a local testnet, refused by a ledger
 * outside dev mode) need no files: a dev wallet's hotkeys are its dev hotkeys, {@code default} is index 0,
 * {@code 1} ... {@code 63} the others; a directory of the same name hides one.
 *
 * <p>Key files are owner-only (0600) in owner-only directories (0700): the wallets directory, each wallet's and
 * its {@code hotkeys}; {@link WalletFile} writes the files, this class keeps the directories so. A key file is
 * never overwritten unless asked.
 *
 * <p>Not final only so that the command line's {@code io.cortex.deploy.cli.Wallets} can be this class under its
 * old name.
 */
public class Wallets {
    public static final String DEFAULT_HOTKEY = "default";

    private final Path dir;

    /** The wallets in {@code dir} (created when the first wallet is). */
    public Wallets(Path dir) {
        this.dir = dir;
    }

    /** The wallets under {@link CortexHome#wallets()}. */
    public static Wallets standard() {
        return new Wallets(CortexHome.wallets());
    }

    /** A wallet entry for {@code wallet list}. */
    public record Entry(String name, Address coldkey, List<String> hotkeys, boolean dev) {
    }

    private boolean isDev(String name) {
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
            throw new WalletException("wrong password for wallet " + name, e);
        } catch (IOException e) {
            throw new WalletException("cannot read wallet " + name + ": " + e.getMessage(), e);
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
            throw new WalletException("cannot read hotkey " + hotkey + " of wallet " + wallet + ": " + e.getMessage(), e);
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
            throw new WalletException("cannot read wallet " + nameOrAddress + ": " + e.getMessage(), e);
        }
    }

    /** An address as given ({@code cx...}), else the named hotkey of the wallet. */
    public Address hotkeyAddress(String wallet, String hotkeyOrAddress) {
        if (hotkeyOrAddress.startsWith("cx")) {
            return Address.parse(hotkeyOrAddress);
        }
        return hotkey(wallet, hotkeyOrAddress).address();
    }

    /**
     * A wallet just created. Its coldkey's {@link WalletFile#backup} is for its owner's eyes, once: this record
     * holds the key pairs, whose {@code toString} shows only addresses.
     */
    public record Created(Entry wallet, Keypair coldkey, Keypair hotkey) {
    }

    /** Creates a wallet: a new coldkey sealed under the password, and a hotkey named {@code default}. */
    public Created create(String name, char[] password) {
        checkName(name);
        if (Files.exists(dir.resolve(name))) {
            throw new IllegalArgumentException("wallet " + name + " exists already (" + dir.resolve(name) + ")");
        }
        checkPassword(password);
        Keypair coldkey = Keypair.generate();
        Keypair hotkey = Keypair.generate();
        try {
            privateDirectory(dir);
            Files.createDirectory(dir.resolve(name), ownerOnly(dir)); // fails if another create took the name meanwhile
            privateDirectory(hotkeyFile(name, DEFAULT_HOTKEY).getParent());
            WalletFile.writeEncrypted(coldkeyFile(name), coldkey, password);
            WalletFile.writePlain(hotkeyFile(name, DEFAULT_HOTKEY), hotkey);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("wallet " + name + " exists already (" + dir.resolve(name) + ")");
        } catch (IOException e) {
            throw new WalletException("cannot write wallet " + name + " under " + dir + ": " + e.getMessage(), e);
        }
        return new Created(new Entry(name, coldkey.address(), List.of(DEFAULT_HOTKEY), false), coldkey, hotkey);
    }

    /**
     * Writes a coldkey restored from its backup into wallet {@code name}, sealed under the password; a new
     * wallet gets no hotkey. An existing coldkey is replaced only when {@code overwrite} is asked for.
     */
    public Entry regenColdkey(String name, Keypair coldkey, char[] password, boolean overwrite) {
        checkName(name);
        checkPassword(password);
        Path file = coldkeyFile(name);
        if (Files.exists(file) && !overwrite) {
            throw new IllegalArgumentException("wallet " + name + " has a coldkey already (" + file
                    + "); give --overwrite to replace it, and its key is gone unless it is backed up");
        }
        try {
            privateDirectory(dir);
            privateDirectory(file.getParent());
            WalletFile.writeEncrypted(file, coldkey, password,
                    overwrite ? WalletFile.IfExists.REPLACE : WalletFile.IfExists.REFUSE);
            return entry(dir.resolve(name));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("wallet " + name + " has a coldkey already (" + file
                    + "); give --overwrite to replace it");
        } catch (IOException e) {
            throw new WalletException("cannot write wallet " + name + " under " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether wallet {@code name} (on disk, or a dev wallet) has a hotkey of that name. */
    public boolean hasHotkey(String name, String hotkey) {
        checkName(hotkey);
        try {
            hotkey(name, hotkey);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Adds a new hotkey named {@code hotkey} to wallet {@code name} (a hotkey is stored unsealed, as the wallet's
     * {@code default} is: it signs a neuron's messages, and holds no TAO). The coldkey is not needed.
     */
    public Keypair newHotkey(String name, String hotkey) {
        checkName(hotkey);
        if (isDev(name)) {
            throw new IllegalArgumentException("dev wallet " + name + " has its hotkeys already ('default' and 1 to "
                    + (DevKeys.HOTKEYS_PER_NAME - 1) + ")");
        }
        existing(name);
        Path file = hotkeyFile(name, hotkey);
        Keypair key = Keypair.generate();
        try {
            privateDirectory(file.getParent());
            WalletFile.writePlain(file, key);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("wallet " + name + " has a hotkey '" + hotkey + "' already (" + file + ")");
        } catch (IOException e) {
            throw new WalletException("cannot write hotkey " + hotkey + " of wallet " + name + ": " + e.getMessage(), e);
        }
        return key;
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
                        entries.add(entry(w));
                    }
                }
            } catch (IOException e) {
                throw new WalletException("cannot list wallets in " + dir + ": " + e.getMessage(), e);
            }
        }
        return entries;
    }

    /** A wallet on disk; its hotkeys by name, leaving out a write's leftover temporary file. */
    private static Entry entry(Path wallet) throws IOException {
        List<String> hotkeys = new ArrayList<>();
        if (Files.isDirectory(wallet.resolve("hotkeys"))) {
            try (Stream<Path> h = Files.list(wallet.resolve("hotkeys"))) {
                h.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().forEach(hotkeys::add);
            }
        }
        return new Entry(wallet.getFileName().toString(), WalletFile.address(wallet.resolve("coldkey")), hotkeys, false);
    }

    private static void checkName(String name) {
        if (!name.matches("[A-Za-z0-9_.-]{1,64}") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("a wallet or hotkey name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
    }

    private static void checkPassword(char[] password) {
        if (password.length < 8) {
            throw new IllegalArgumentException("a coldkey password has at least 8 characters");
        }
    }

    /** Creates {@code directory} 0700, or makes an existing one 0700: it holds keys. */
    private static void privateDirectory(Path directory) throws IOException {
        WalletFile.createPrivateDirectories(directory);
        if (posix(directory) && !Files.getPosixFilePermissions(directory).equals(WalletFile.DIRECTORY_PERMISSIONS)) {
            Files.setPosixFilePermissions(directory, WalletFile.DIRECTORY_PERMISSIONS);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path near) {
        return posix(near)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(WalletFile.DIRECTORY_PERMISSIONS)}
                : new FileAttribute<?>[0];
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private Path existing(String name) {
        Path file = coldkeyFile(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no wallet " + name + " (dev wallets: " + String.join(", ", DevKeys.NAMES)
                    + "; create one with ./cortex wallet create " + name + ")");
        }
        return file;
    }

    /**
     * Where a coldkey's password comes from: the first line of a file (what Cortex programs take as
     * {@code --password-file FILE}, for services), else the environment variable {@code CORTEX_PASSWORD}, else
     * the console, if there is one. Never a command-line argument: other users of the host can read those.
     */
    public static final class Passwords {
        /** The environment variable a service gives the password in. */
        public static final String ENV = "CORTEX_PASSWORD";

        private final Path file;

        /** @param file the password file, or null to read {@link #ENV} or ask at the console */
        public Passwords(Path file) {
            this.file = file;
        }

        /** The password of an existing wallet's coldkey. */
        public char[] password(String wallet) {
            char[] password = givenOrTyped("password of wallet %s: ", wallet, false);
            if (password == null) {
                throw new WalletException("the coldkey of wallet " + wallet
                        + " is encrypted: give --password-file FILE or set CORTEX_PASSWORD");
            }
            return password;
        }

        /** A password for a coldkey being written; typed twice at the console, since a typo would lock it. */
        public char[] newPassword(String wallet) {
            char[] password = givenOrTyped("new password of wallet %s: ", wallet, true);
            if (password == null) {
                throw new WalletException("a coldkey needs a password: give --password-file FILE or set CORTEX_PASSWORD");
            }
            return password;
        }

        /**
         * The file's or the environment's password, else one typed at the console ({@code twice}: and typed
         * again, the same); null with neither.
         */
        private char[] givenOrTyped(String prompt, String wallet, boolean twice) {
            char[] given = given();
            if (given != null) {
                return given;
            }
            Console console = System.console();
            char[] typed = console == null ? null : console.readPassword(prompt, wallet);
            if (typed == null || !twice) {
                return typed;
            }
            char[] again = console.readPassword("the same password again: ");
            if (again == null) {
                Arrays.fill(typed, '\0');
                return null;
            }
            boolean same = Arrays.equals(typed, again);
            Arrays.fill(again, '\0');
            if (!same) {
                Arrays.fill(typed, '\0');
                throw new IllegalArgumentException("the two passwords differ");
            }
            return typed;
        }

        private char[] given() {
            if (file != null) {
                try {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    int newline = text.indexOf('\n');
                    return (newline < 0 ? text : text.substring(0, newline)).strip().toCharArray();
                } catch (IOException e) {
                    throw new WalletException("cannot read the password file " + file + ": " + e.getMessage(), e);
                }
            }
            String env = System.getenv(ENV);
            return env == null ? null : env.toCharArray();
        }
    }
}
