package io.cortex.deploy.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Line charts as inline SVG, for the self-contained HTML reports ({@code cortex simulate}, {@code replay
 * --report}, {@code loadtest --ramp}): a line per series, a legend, the axes' ranges labelled. No script and
 * nothing fetched, so a report opens anywhere.
 */
public final class SvgChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private SvgChart() {
    }

    /** The colour of the i-th series. */
    public static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    /** One line per series over x = 0, 1, …, the x axis labelled "epoch 0" to "epoch n-1". */
    public static String overEpochs(String title, Map<String, double[]> series, String unit) {
        int n = 0;
        for (double[] s : series.values()) {
            n = Math.max(n, s.length);
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return lines(title, x, "epoch 0", "epoch " + Math.max(0, n - 1), series, unit, Double.NaN);
    }

    /**
     * One line per series over the points {@code x} (ascending), the x axis labelled {@code firstX} and
     * {@code lastX}; a dashed level at {@code mark} (in the series' unit) unless it is NaN.
     */
    public static String lines(String title, double[] x, String firstX, String lastX, Map<String, double[]> series,
                               String unit, double mark) {
        int w = 900;
        int h = 260;
        int left = 60;
        int right = 10;
        int top = 24;
        int bottom = 28;
        double max = Double.isNaN(mark) ? 0 : mark;
        for (double[] s : series.values()) {
            for (double v : s) {
                max = Math.max(max, v);
            }
        }
        if (max <= 0) {
            max = 1;
        }
        double scale = max;
        java.util.function.DoubleUnaryOperator y = v -> h - bottom - v / scale * (h - top - bottom);
        double x0 = x.length == 0 ? 0 : x[0];
        double span = x.length <= 1 ? 0 : x[x.length - 1] - x0;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">", w,
                h, w, h));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\">%s</text>", left, esc(title)));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left,
                h - bottom, w - right, h - bottom));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left, top,
                left, h - bottom));
        b.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">%s</text>", top + 8,
                esc(compact(max) + (unit.isEmpty() ? "" : " " + unit))));
        b.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">0</text>", h - bottom));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", left, h - 8,
                esc(firstX)));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>",
                w - right, h - 8, esc(lastX)));
        if (!Double.isNaN(mark)) {
            double py = y.applyAsDouble(mark);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#555\" "
                    + "stroke-dasharray=\"6 4\"/>", left, py, w - right, py));
        }
        int i = 0;
        List<String> legend = new ArrayList<>();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            String colour = colour(i++);
            double[] s = e.getValue();
            StringBuilder points = new StringBuilder();
            for (int k = 0; k < s.length && k < x.length; k++) {
                double px = left + (span <= 0 ? 0 : (x[k] - x0) * (w - left - right) / span);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, y.applyAsDouble(s[k])));
            }
            b.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\">"
                    + "<title>%s</title></polyline>", colour, points.toString().trim(), esc(e.getKey())));
            legend.add(String.format(Locale.ROOT, "<span style=\"color:%s\">&#9632; %s</span>", colour, esc(e.getKey())));
        }
        b.append("</svg><div class=\"legend\">").append(String.join("", legend)).append("</div>");
        return b.toString();
    }

    /** A number for a label: whole above 100, two decimals above 1, else three significant digits. */
    public static String compact(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 1 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    /** Text made safe for HTML. */
    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
