package io.cortex.deploy.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.cortex.ledger.fixed.Rao;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How commands print: aligned tables for people, protobuf JSON for scripts. */
public final class Output {

    private Output() {
    }

    /** The reply as JSON, every field shown (also those at their default). */
    public static void json(PrintWriter out, MessageOrBuilder message) {
        try {
            out.println(JsonFormat.printer().includingDefaultValueFields().print(message));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** Columns padded to their widest cell; columns of numbers align right. */
    public static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
        int columns = headers.size();
        int[] width = new int[columns];
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            width[c] = headers.get(c).length();
            numeric[c] = !rows.isEmpty();
        }
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                width[c] = Math.max(width[c], cell.length());
                numeric[c] &= cell.matches("-?[\\d.,]+%?|-");
            }
        }
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + cell : cell + (c == columns - 1 ? "" : pad));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    /** Rao as TAO (or alpha) with every digit. */
    public static String tao(long rao) {
        return Rao.format(rao);
    }

    /** A u16 proportion as a fraction of one. */
    public static String u16(int value) {
        return String.format(Locale.ROOT, "%.4f", value / 65535.0);
    }

    /** An address shortened for tables: the first 10 characters. */
    public static String shortAddress(String address) {
        return address.length() <= 12 ? address : address.substring(0, 10) + "…";
    }

    /** A balance's stakes, a row each. */
    static void stakes(PrintWriter out, io.cortex.protocol.api.BalanceReply b) {
        List<List<String>> rows = new ArrayList<>();
        for (io.cortex.protocol.api.StakePosition p : b.getStakesList()) {
            rows.add(List.of(Integer.toString(p.getNetuid()), p.getHotkey(), tao(p.getAlpha()), tao(p.getTaoValue())));
        }
        table(out, List.of("netuid", "hotkey", "alpha", "worth (TAO)"), rows);
    }
}
