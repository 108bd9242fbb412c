package io.cortex.ledger.audit;

import io.cortex.ledger.yuma.EpochInput;
import io.cortex.ledger.yuma.EpochJson;
import io.cortex.ledger.yuma.EpochOutput;

/**
 * One epoch as the ledger ran it: the subnet, the block, the input (and its hash, SHA-256 of its JSON) and
 * the output. {@code cortex epoch --in input.json} re-runs it; {@code replay} checks the output matches.
 */
public record EpochRecord(int netuid, long block, long epochIndex, byte[] inputHash, EpochInput input, EpochOutput output) {

    public static EpochRecord of(int netuid, long block, long epochIndex, EpochInput input, EpochOutput output) {
        return new EpochRecord(netuid, block, epochIndex, Canonical.sha256(EpochJson.inputBytes(input)), input, output);
    }

    public String inputHashHex() {
        return Canonical.hex(inputHash);
    }
}
