package io.cortex.deploy.cli;

import io.cortex.ledger.fixed.Rao;
import java.time.Duration;

/** The command line's values in one place: how every command reads a duration and an amount of TAO or alpha. */
final class Values {
    private Values() {
    }

    /** A duration as HOCON writes one (250ms, 1s, 2 minutes); one clear line when it is not. */
    static Duration duration(String text) {
        try {
            return com.typesafe.config.ConfigFactory.parseString("d = " + text).getDuration("d");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 250ms, 1s)");
        }
    }

    /** A positive amount of TAO (or alpha) in rao; one clear line when it is not. */
    static long positiveTao(String text) {
        long rao;
        try {
            rao = Rao.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an amount of TAO: '" + text + "' (e.g. 1.5, at most 9 decimals)");
        }
        if (rao <= 0) {
            throw new IllegalArgumentException("the amount must be positive, got " + text);
        }
        return rao;
    }
}
