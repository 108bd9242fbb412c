package io.cortex.subnets.price;

import io.cortex.subnets.SubnetMechanism;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Forecast the next price of an asset. A task is the last {@value #WINDOW} prices of a seeded synthetic
 * series with regime changes — log returns follow an AR(1) with a drift, in one of four regimes (bull,
 * bear, choppy and mean-reverting, volatile), and a third of the windows change regime part-way — drawn
 * afresh for each task, so no miner can look an answer up. The truth is the next price, which the
 * validator only learns {@value #TRUTH_DELAY_ROUNDS} rounds later ({@link #truthDelayRounds()}): it holds
 * the answers until then, as for a real forecast. Scores fall with the log error. The baseline forecasts
 * the last price; an honest miner fits the AR(1) to the window's returns by least squares and forecasts
 * {@code quality} × the fitted next return (quality 0 is the baseline).
 */
public final class PriceForecastSubnet implements SubnetMechanism {
    /** Prices in a task. */
    public static final int WINDOW = 65;
    /** Rounds before the truth of a task is known. */
    public static final int TRUTH_DELAY_ROUNDS = 2;
    /** The log error at which a forecast scores one half. */
    static final double HALF_SCORE_ERROR = 0.005;

    /** A regime of the series: drift, autocorrelation and volatility of the log returns. */
    record Regime(String name, double drift, double phi, double sigma) {
    }

    static final List<Regime> REGIMES = List.of(
            new Regime("bull", 0.002, 0.8, 0.004),
            new Regime("bear", -0.002, 0.8, 0.004),
            new Regime("choppy", 0.0, -0.6, 0.005),
            new Regime("volatile", 0.0, 0.3, 0.012));

    @Override
    public String name() {
        return "price-forecast";
    }

    @Override
    public String description() {
        return "forecast the next price of a synthetic asset with regime changes; truth arrives "
                + TRUTH_DELAY_ROUNDS + " rounds later; baseline: the last price";
    }

    @Override
    public int truthDelayRounds() {
        return TRUTH_DELAY_ROUNDS;
    }

    @Override
    public Task nextTask(SplittableRandom random) {
        double[] prices = path(random, WINDOW + 1);
        ByteBuffer payload = ByteBuffer.allocate(WINDOW * 8);
        for (int i = 0; i < WINDOW; i++) {
            payload.putDouble(prices[i]);
        }
        return new Task(payload.array(), ByteBuffer.allocate(8).putDouble(prices[WINDOW]).array());
    }

    /** A fresh path of {@code length} prices: one regime, or two with a change part-way (a third of paths). */
    static double[] path(SplittableRandom random, int length) {
        Regime first = REGIMES.get(random.nextInt(REGIMES.size()));
        Regime second = random.nextInt(3) == 0 ? REGIMES.get(random.nextInt(REGIMES.size())) : first;
        int change = random.nextInt(length / 4, length);
        double[] prices = new double[length];
        double logPrice = Math.log(100 * (0.5 + random.nextDouble()));
        double r = first.drift();
        for (int i = 0; i < length; i++) {
            Regime g = i < change ? first : second;
            r = g.drift() + g.phi() * (r - g.drift()) + g.sigma() * gaussian(random);
            logPrice += r;
            prices[i] = Math.exp(logPrice);
        }
        return prices;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller on the given random, so paths depend on the seed alone
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    @Override
    public MinerModel miner(double quality) {
        double q = Math.max(0, Math.min(1, quality));
        return (task, random) -> {
            double[] prices = prices(task);
            double forecast = prices.length == 0 ? 0 : prices[prices.length - 1] * Math.exp(q * fittedNextReturn(prices));
            return new Answer(ByteBuffer.allocate(8).putDouble(forecast).array(), 3);
        };
    }

    /** The last price. */
    @Override
    public MinerModel baseline() {
        return miner(0);
    }

    /** The next log return an AR(1) with drift, fitted to the prices' log returns by least squares, expects. */
    static double fittedNextReturn(double[] prices) {
        int n = prices.length - 2; // pairs (r[i], r[i+1])
        if (n < 2) {
            return 0;
        }
        double[] r = new double[prices.length - 1];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.log(prices[i + 1] / prices[i]);
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += r[i];
            my += r[i + 1];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (r[i] - mx) * (r[i + 1] - my);
            sxx += (r[i] - mx) * (r[i] - mx);
        }
        double b = sxx == 0 ? 0 : Math.max(-0.99, Math.min(0.99, sxy / sxx));
        double a = my - b * mx;
        double next = a + b * r[r.length - 1];
        return Double.isFinite(next) ? next : 0;
    }

    /** {@code 1 / (1 + e / 0.005)} for a log error e: 1 when exact, ½ at 0.5 %, 0 for no or a malformed answer. */
    @Override
    public double score(Task task, byte[] answer, long latencyMillis) {
        if (answer == null || answer.length != 8 || task.expected() == null) {
            return 0;
        }
        double forecast = ByteBuffer.wrap(answer).getDouble();
        double truth = ByteBuffer.wrap(task.expected()).getDouble();
        if (!(forecast > 0) || !Double.isFinite(forecast)) {
            return 0;
        }
        return 1 / (1 + Math.abs(Math.log(forecast / truth)) / HALF_SCORE_ERROR);
    }

    /** Recent prices, oldest first, such as {@code "100 101.5 101.2 102.8"}: at least 3, at most {@value #WINDOW}. */
    @Override
    public Task parseQuery(String text) {
        String usage = "a price-forecast query is 3 to " + WINDOW + " positive prices, oldest first, such as \"100 101.5 101.2 102.8\"";
        String[] parts = text.trim().split("[\\s,]+");
        if (text.isBlank() || parts.length < 3 || parts.length > WINDOW) {
            throw new IllegalArgumentException(usage);
        }
        ByteBuffer payload = ByteBuffer.allocate(parts.length * 8);
        try {
            for (String p : parts) {
                double v = Double.parseDouble(p);
                if (!(v > 0) || !Double.isFinite(v)) {
                    throw new IllegalArgumentException(usage);
                }
                payload.putDouble(v);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage, e);
        }
        return new Task(payload.array(), null);
    }

    /** Sixteen prices of a fresh path. */
    @Override
    public String sampleQuery(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        for (double p : path(random, 16)) {
            s.append(String.format(Locale.ROOT, "%.4f ", p));
        }
        return s.toString().trim();
    }

    @Override
    public String formatAnswer(byte[] answer) {
        return answer != null && answer.length == 8
                ? String.format(Locale.ROOT, "%.4f", ByteBuffer.wrap(answer).getDouble())
                : SubnetMechanism.super.formatAnswer(answer);
    }

    /** The median forecast. */
    @Override
    public byte[] aggregate(List<byte[]> answers) {
        double[] v = answers.stream().filter(a -> a != null && a.length == 8).mapToDouble(a -> ByteBuffer.wrap(a).getDouble())
                .filter(x -> x > 0 && Double.isFinite(x)).sorted().toArray();
        return v.length == 0 ? null : ByteBuffer.allocate(8).putDouble(v[v.length / 2]).array();
    }

    @Override
    public String aggregationRule() {
        return "the median forecast";
    }

    /** A forecast agrees with the median when it is within 1 % of it. */
    @Override
    public boolean agrees(byte[] answer, byte[] aggregate) {
        if (answer == null || answer.length != 8 || aggregate == null || aggregate.length != 8) {
            return false;
        }
        double a = ByteBuffer.wrap(answer).getDouble();
        double median = ByteBuffer.wrap(aggregate).getDouble();
        return Double.isFinite(a) && median > 0 && Math.abs(a - median) <= 0.01 * median;
    }

    static double[] prices(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        double[] p = new double[payload.length / 8];
        for (int i = 0; i < p.length; i++) {
            p[i] = b.getDouble();
        }
        return Arrays.stream(p).allMatch(x -> x > 0 && Double.isFinite(x)) ? p : new double[0];
    }
}
