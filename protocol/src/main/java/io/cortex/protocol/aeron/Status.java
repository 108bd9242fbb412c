package io.cortex.protocol.aeron;

/** Response status codes, the HTTP-like ones Bittensor users know (ARCHITECTURE.md section 5). */
public final class Status {
    public static final int OK = 200;
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHORIZED = 401;
    public static final int BLACKLISTED = 403;
    public static final int NO_SUCH_MINER = 404;
    public static final int TIMEOUT = 408;
    public static final int TOO_LARGE = 413;
    public static final int RATE_LIMITED = 429;
    public static final int MINER_ERROR = 500;
    public static final int OVERLOADED = 503;

    private Status() {
    }

    /** The code and what it means, as logs and the CLI print it: {@code 200 ok}. */
    public static String describe(int status) {
        return status + " " + switch (status) {
            case OK -> "ok";
            case BAD_REQUEST -> "bad request";
            case UNAUTHORIZED -> "bad signature";
            case BLACKLISTED -> "blacklisted";
            case NO_SUCH_MINER -> "no such miner";
            case TIMEOUT -> "timeout";
            case TOO_LARGE -> "too large";
            case RATE_LIMITED -> "rate limited";
            case MINER_ERROR -> "miner error";
            case OVERLOADED -> "overloaded or unreachable";
            default -> "unknown";
        };
    }
}
