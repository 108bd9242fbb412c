package io.cortex.subnets;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The subnet mechanisms on the class path, found with {@link ServiceLoader}, by name. */
public final class SubnetMechanisms {
    private SubnetMechanisms() {
    }

    /** Every mechanism found, by name. */
    public static Map<String, SubnetMechanism> all() {
        Map<String, SubnetMechanism> found = new TreeMap<>();
        for (SubnetMechanism m : ServiceLoader.load(SubnetMechanism.class)) {
            found.put(m.name(), m);
        }
        return found;
    }

    /** The mechanism of that name; the message lists the ones there are. */
    public static SubnetMechanism named(String name) {
        SubnetMechanism m = all().get(name);
        if (m == null) {
            throw new IllegalArgumentException("no subnet mechanism '" + name + "' (there are: "
                    + String.join(", ", all().keySet()) + ")");
        }
        return m;
    }
}
