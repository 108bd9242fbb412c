package io.cortex.ledger.tx;

/** Why the ledger refused a transaction; the receipt adds the details. */
public enum RejectReason {
    BAD_SIGNATURE("bad signature"),
    WRONG_NONCE("wrong nonce"),
    INVALID_AMOUNT("invalid amount"),
    INSUFFICIENT_BALANCE("insufficient balance"),
    INSUFFICIENT_STAKE("insufficient stake"),
    UNKNOWN_SUBNET("unknown subnet"),
    UNKNOWN_HOTKEY("unknown hotkey"),
    NOT_OWNER("not the owner"),
    NOT_ROOT("needs the root key"),
    DEV_KEY_REFUSED("dev keys are refused outside dev mode"),
    SUBNET_NOT_STARTED("subnet has not started"),
    SUBNET_ALREADY_STARTED("subnet already started"),
    REGISTRATION_CLOSED("registration closed"),
    ALREADY_REGISTERED("hotkey already registered"),
    HOTKEY_OWNED_ELSEWHERE("hotkey belongs to another coldkey"),
    NO_SLOT("no uid can be pruned"),
    BURN_ABOVE_LIMIT("burn above the limit"),
    PRICE_LIMIT_EXCEEDED("price limit exceeded"),
    POOL_LIMIT("pool cannot take this swap"),
    RATE_LIMITED("rate limited"),
    NO_VALIDATOR_PERMIT("no validator permit"),
    STAKE_BELOW_THRESHOLD("stake below the threshold"),
    WEIGHTS_INVALID("weights invalid"),
    COMMIT_REVEAL_ON("commit-reveal is on: commit, then reveal"),
    COMMIT_REVEAL_OFF("commit-reveal is off: set weights directly"),
    TOO_MANY_COMMITS("too many unrevealed commits"),
    NO_COMMIT("no matching commit"),
    REVEAL_TOO_EARLY("reveal too early"),
    REVEAL_EXPIRED("reveal expired"),
    INVALID_ENDPOINT("invalid endpoint"),
    UNKNOWN_HYPERPARAMETER("unknown hyper-parameter"),
    HYPERPARAMETER_OUT_OF_RANGE("hyper-parameter out of range"),
    TAKE_OUT_OF_RANGE("validator take out of range");

    private final String description;

    RejectReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
