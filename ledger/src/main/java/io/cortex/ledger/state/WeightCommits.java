package io.cortex.ledger.state;

import io.cortex.core.identity.Address;
import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.yuma.EpochInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Weight commits awaiting their reveal (yuma.md section 7.2), by hotkey in key order, each list in commit order. */
final class WeightCommits {
    private final TreeMap<Address, List<Subnet.Commit>> byHotkey = new TreeMap<>();

    WeightCommits copy() {
        WeightCommits c = new WeightCommits();
        byHotkey.forEach((k, v) -> c.byHotkey.put(k, new ArrayList<>(v)));
        return c;
    }

    void write(Canonical c) {
        c.i32(byHotkey.size());
        byHotkey.forEach((hotkey, list) -> {
            c.address(hotkey).i32(list.size());
            for (Subnet.Commit commit : list) {
                c.bytes(commit.hash()).i64(commit.epoch()).i64(commit.block());
            }
        });
    }

    static WeightCommits read(StateReader r) {
        WeightCommits c = new WeightCommits();
        for (int i = r.count(); i > 0; i--) {
            Address hotkey = r.address();
            List<Subnet.Commit> list = new ArrayList<>();
            for (int k = r.count(); k > 0; k--) {
                list.add(new Subnet.Commit(r.bytes(), r.i64(), r.i64()));
            }
            c.byHotkey.put(hotkey, list);
        }
        return c;
    }

    List<Subnet.Commit> of(Address hotkey) {
        return Collections.unmodifiableList(byHotkey.getOrDefault(hotkey, List.of()));
    }

    void add(Address hotkey, Subnet.Commit commit) {
        List<Subnet.Commit> updated = new ArrayList<>(byHotkey.getOrDefault(hotkey, List.of()));
        updated.add(commit);
        byHotkey.put(hotkey, updated);
    }

    /** The hotkey's commit of this hash, or null. */
    Subnet.Commit find(Address hotkey, byte[] hash) {
        for (Subnet.Commit c : byHotkey.getOrDefault(hotkey, List.of())) {
            if (Arrays.equals(c.hash(), hash)) {
                return c;
            }
        }
        return null;
    }

    /** The commit was revealed: it goes. */
    void revealed(Address hotkey, Subnet.Commit commit) {
        List<Subnet.Commit> rest = new ArrayList<>(byHotkey.getOrDefault(hotkey, List.of()));
        rest.remove(commit);
        if (rest.isEmpty()) {
            byHotkey.remove(hotkey);
        } else {
            byHotkey.put(hotkey, rest);
        }
    }

    /** The hotkey left the subnet: its commits go. */
    void forget(Address hotkey) {
        byHotkey.remove(hotkey);
    }

    /** The block of the hotkey's earliest commit still within its reveal period, or {@link EpochInput#NO_COMMIT}. */
    long earliestLive(Address hotkey, long revealPeriod, long epochIndex) {
        long earliest = EpochInput.NO_COMMIT;
        for (Subnet.Commit c : byHotkey.getOrDefault(hotkey, List.of())) {
            if (c.epoch() + revealPeriod >= epochIndex) {
                earliest = Math.min(earliest, c.block());
            }
        }
        return earliest;
    }

    /** Drops commits whose reveal period ended before this epoch. */
    void dropExpired(long revealPeriod, long epochIndex) {
        Iterator<Map.Entry<Address, List<Subnet.Commit>>> it = byHotkey.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Address, List<Subnet.Commit>> e = it.next();
            List<Subnet.Commit> live = new ArrayList<>(e.getValue());
            live.removeIf(c -> c.epoch() + revealPeriod < epochIndex);
            if (live.isEmpty()) {
                it.remove();
            } else {
                e.setValue(live);
            }
        }
    }
}
