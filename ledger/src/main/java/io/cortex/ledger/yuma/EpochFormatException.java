package io.cortex.ledger.yuma;

/** An EpochInput that does not follow epoch-io.md; the message names the offending field. */
public final class EpochFormatException extends IllegalArgumentException {
    private final String field;

    public EpochFormatException(String field, String problem) {
        super(field.isEmpty() ? problem : field + ": " + problem);
        this.field = field;
    }

    /** The JSON path of the bad field, such as {@code weights[3][1]}; empty for the document itself. */
    public String field() {
        return field;
    }
}
