package io.cortex.ledger.state;

/**
 * A subnet's share of the next block's TAO emission as the configured emission policy gives it, the policy's
 * reason in a line, and the signals most policies weigh (the moving alpha price, and the net TAO flow in rao
 * a block).
 */
public record EmissionShare(int netuid, double share, String reason, double movingPrice, double netTaoFlow) {
}
