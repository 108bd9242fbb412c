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

    public static String describe(int status) {
        return switch (status) {
            case OK -> "200 ok";
            case BAD_REQUEST -> "400 bad request";
            case UNAUTHORIZED -> "401 bad signature";
            case BLACKLISTED -> "403 blacklisted";
            case NO_SUCH_MINER -> "404 no such miner";
            case TIMEOUT -> "408 timeout";
            case TOO_LARGE -> "413 too large";
            case RATE_LIMITED -> "429 rate limited";
            case MINER_ERROR -> "500 miner error";
            case OVERLOADED -> "503 overloaded or unreachable";
            default -> status + " unknown";
        };
    }
}
