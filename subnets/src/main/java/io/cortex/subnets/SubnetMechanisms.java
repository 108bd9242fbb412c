package io.cortex.subnets;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The subnet mechanisms on the class path, found with {@link ServiceLoader}, by name. Besides Cortex's own
 * class path, it looks in the jars (or class folders) named by the system property {@code cortex.classpath}
 * or, without it, the environment variable {@code CORTEX_CLASSPATH}: a list separated by the platform's
 * path separator ({@code :} on Linux). That is how a forked subnet joins a testnet without rebuilding
 * Cortex (SUBNETS.md); the nodes a testnet starts inherit the setting.
 */
public final class SubnetMechanisms {
    /** The system property naming extra jars; {@code CORTEX_CLASSPATH} is its environment variable. */
    public static final String EXTRA_CLASSPATH = "cortex.classpath";

    private SubnetMechanisms() {
    }

    /** Every mechanism found, by name. */
    public static Map<String, SubnetMechanism> all() {
        Map<String, SubnetMechanism> found = new TreeMap<>();
        try {
            for (SubnetMechanism m : ServiceLoader.load(SubnetMechanism.class, loader())) {
                SubnetMechanism before = found.putIfAbsent(m.name(), m);
                if (before != null && before.getClass() != m.getClass()) {
                    throw new IllegalArgumentException("two subnet mechanisms are named '" + m.name() + "': "
                            + before.getClass().getName() + " and " + m.getClass().getName());
                }
            }
        } catch (java.util.ServiceConfigurationError e) {
            throw new IllegalArgumentException("a subnet mechanism could not be loaded: " + e.getMessage()
                    + (extraClasspath().isEmpty() ? "" : " (CORTEX_CLASSPATH " + extraClasspath() + ")"), e);
        }
        return found;
    }

    /** The mechanism of that name; the message lists the ones there are. */
    public static SubnetMechanism named(String name) {
        SubnetMechanism m = all().get(name);
        if (m == null) {
            throw new IllegalArgumentException("no subnet mechanism '" + name + "' (there are: "
                    + String.join(", ", all().keySet()) + extraClasspathHint() + ")");
        }
        return m;
    }

    /** The extra class path, as set; empty when none is. */
    public static String extraClasspath() {
        String s = System.getProperty(EXTRA_CLASSPATH);
        if (s == null) {
            s = System.getenv("CORTEX_CLASSPATH");
        }
        return s == null ? "" : s.trim();
    }

    private static String extraClasspathHint() {
        String extra = extraClasspath();
        return extra.isEmpty() ? "; a subnet of your own joins with CORTEX_CLASSPATH=its.jar" : "; looked also in " + extra;
    }

    /**
     * Cortex's class loader, or one that also reads the extra class path: where plug-ins are looked for
     * (subnet mechanisms here, emission policies by {@code cortex simulate}).
     */
    public static ClassLoader loader() {
        ClassLoader own = SubnetMechanisms.class.getClassLoader();
        String extra = extraClasspath();
        if (extra.isEmpty()) {
            return own;
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : extra.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry.trim());
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("CORTEX_CLASSPATH names " + p + ", which does not exist");
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("CORTEX_CLASSPATH entry " + p + ": " + e.getMessage(), e);
            }
        }
        return LOADERS.computeIfAbsent(extra, k -> new URLClassLoader(urls.toArray(URL[]::new), own));
    }

    /** One loader per extra class path, so a mechanism's classes are loaded once. */
    private static final Map<String, ClassLoader> LOADERS = new java.util.concurrent.ConcurrentHashMap<>();
}
