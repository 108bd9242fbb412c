#!/usr/bin/env python3
"""An independent, deliberately plain implementation of the Yuma epoch (docs/spec/yuma.md section 4).

It shares no code with the Java ledger: Python integers hold I32F32 raw bits, every operation is written
out from the spec's numeric rules (section 1), matrices are dicts, and nothing is optimised. The Java test
OracleCrossCheckTest feeds it random EpochInputs and requires every output field to match bit for bit.

Usage: yuma_oracle.py < inputs.json > outputs.json   (a JSON array of EpochInputs -> array of EpochOutputs)
"""
import json
import sys

FRAC = 32
ONE = 1 << FRAC
I64_MIN = -(1 << 63)
I64_MAX = (1 << 63) - 1


def sat(x):
    return max(I64_MIN, min(I64_MAX, x))


def add(a, b):
    return sat(a + b)


def sub(a, b):
    return sat(a - b)


def mul(a, b):
    # exact product, fraction bits dropped toward minus infinity, saturating
    return sat((a * b) >> FRAC)


def checked_mul(a, b):
    r = (a * b) >> FRAC
    return r if I64_MIN <= r <= I64_MAX else None


def trunc_div(num, den):
    q = abs(num) // abs(den)
    return q if (num >= 0) == (den > 0) else -q


def safe_div(a, b):
    # quotient truncated toward zero; 0 on division by zero or overflow
    if b == 0:
        return 0
    q = trunc_div(a << FRAC, b)
    return q if I64_MIN <= q <= I64_MAX else 0


def saturating_div(a, b):
    return sat(trunc_div(a << FRAC, b))


def from_int(v):
    return v << FRAC


def u16_proportion(u):
    return safe_div(from_int(u), from_int(65535))


def to_u16_proportion(x):
    v = mul(x, from_int(65535)) >> FRAC
    return max(0, min(65535, v))


def normalize(v):
    total = sum(v)
    if total == 0:
        return list(v)
    return [safe_div(x, total) for x in v]


def normalize_by(v, total):
    if total == 0:
        return list(v)
    return [safe_div(x, total) for x in v]


def exp_fixed(x):
    """substrate-fixed transcendental::exp for I32F32; None is its Err."""
    if x == 0:
        return ONE
    if x == ONE:
        return 0x15BF0A8 << (FRAC - 23)
    neg = x < 0
    if neg:
        x = -x
    result = x + ONE
    term = x
    for i in range(2, FRAC):
        term = checked_mul(term, x)
        if term is None:
            return None
        term = trunc_div(term << FRAC, from_int(i))
        result = result + term
        if result > I64_MAX:
            return None
    if neg:
        result = trunc_div(ONE << FRAC, result)
    return result


def exp_safe(x):
    x = max(from_int(-20), min(from_int(20), x))
    r = exp_fixed(x)
    if r is None:
        return 0 if x <= 0 else I64_MAX
    return r


def kappa_median(stake, score, minority, lo, hi):
    """Stake-weighted median by partition around the middle element (yuma.md 4.7)."""
    idx = list(range(len(stake)))
    for _ in range(len(stake) + 1):
        if not idx:
            return 0
        if len(idx) == 1:
            return score[idx[0]]
        pivot = score[idx[len(idx) // 2]]
        lower = [i for i in idx if score[i] < pivot]
        upper = [i for i in idx if score[i] > pivot]
        lo_stake = 0
        for i in lower:
            lo_stake = add(lo_stake, stake[i])
        hi_stake = 0
        for i in upper:
            hi_stake = add(hi_stake, stake[i])
        if minority < add(lo, lo_stake) and lower:
            hi = add(lo, lo_stake)
            idx = lower
        elif sub(hi, hi_stake) <= minority and upper:
            lo = sub(hi, hi_stake)
            idx = upper
        else:
            return pivot
    return 0


def topk_nonzero(values, k):
    n = len(values)
    result = [v != 0 for v in values]
    if n < k:
        return result
    order = sorted(range(n), key=lambda i: values[i])  # Python's sort is stable
    for i in order[: n - k]:
        result[i] = False
    return result


def col_normalize(rows, n):
    sums = [0] * n
    for row in rows:
        for j, v in row.items():
            sums[j] = add(sums[j], v)
    return [{j: (safe_div(v, sums[j]) if sums[j] != 0 else v) for j, v in row.items()} for row in rows]


def col_max_upscale(rows, n):
    mx = [0] * n
    for row in rows:
        for j, v in row.items():
            mx[j] = max(mx[j], v)
    return [{j: (safe_div(v, mx[j]) if mx[j] != 0 else v) for j, v in row.items()} for row in rows]


def epoch(inp):
    n = inp["n"]
    h = inp["hyper"]
    block = inp["block"]
    tempo = inp["tempo"]
    owner = inp["owner_uid"]
    last_update = inp["last_update"]
    reg = inp["block_at_registration"]

    # 4.2 activity
    cutoff = max(1, h["activity_cutoff_factor_milli"] * tempo // 1000)
    active = [not (last_update[i] + cutoff < block) for i in range(n)]

    # 4.3 stake, normalised in I64F64 then truncated to I32F32
    raw = [0 if (i != owner and s < h["stake_threshold"]) else s for i, s in enumerate(inp["stake"])]
    total = sum(raw)
    stake = [((s << 64) // total) >> 32 for s in raw] if total else [0] * n

    # 4.4 permits
    permit = list(inp["validator_permit"])
    if owner is not None:
        permit[owner] = True
    new_permit = topk_nonzero(stake, h["max_allowed_validators"])
    if owner is not None:
        new_permit[owner] = True

    # 4.5 active stake
    active_stake = normalize([stake[i] if (active[i] and permit[i]) else 0 for i in range(n)])

    # 4.6 weights
    commit = inp.get("earliest_commit_block")
    weights = []
    for i in range(n):
        row = {}
        if permit[i]:
            for j, w in inp["weights"][i]:
                if j == i and i != owner:
                    continue
                if last_update[i] <= reg[j]:
                    continue
                if commit is not None:
                    cb = commit[i] if commit[i] is not None else (1 << 64) - 1
                    if cb < reg[j]:
                        continue
                row[j] = from_int(w)
        s = sum(row.values())
        if s > 0:
            row = {j: safe_div(v, s) for j, v in row.items()}
        weights.append(row)

    # 4.7 consensus: the kappa median or, with mean consensus, the active stake's mean weight
    if h.get("mean_consensus", False):
        consensus = [0] * n
        for i in range(n):
            for j, w in weights[i].items():
                consensus[j] = add(consensus[j], mul(active_stake[i], w))
    else:
        kappa = u16_proportion(h["kappa"])
        voters = [i for i in range(n) if active_stake[i] > 0]
        voter_stake = normalize([active_stake[i] for i in voters])
        stake_sum = sum(voter_stake)
        minority = sub(stake_sum, kappa)
        consensus = []
        for j in range(n):
            scores = [weights[i].get(j, 0) for i in voters]
            consensus.append(kappa_median(voter_stake, scores, minority, 0, stake_sum))

    # 4.8 clipping and validator trust
    clipped = []
    for row in weights:
        c = {}
        for j, w in row.items():
            if consensus[j] < w:
                if consensus[j] > 0:
                    c[j] = consensus[j]
            else:
                c[j] = w
        clipped.append(c)
    validator_trust = [sum(row.values()) for row in clipped]

    # 4.9 incentive
    ranks = [0] * n
    for i in range(n):
        for j, w in clipped[i].items():
            ranks[j] = add(ranks[j], mul(active_stake[i], w))
    incentive = normalize(ranks)

    # 4.10 weights for bonds
    beta = u16_proportion(h["bonds_penalty"])
    if beta == 0:
        wb = weights
    elif beta == ONE:
        wb = clipped
    else:
        wb = []
        for i in range(n):
            r = {}
            for j in sorted(set(weights[i]) | set(clipped[i])):
                a = weights[i].get(j, 0)
                b = clipped[i].get(j, 0)
                v = add(a, mul(beta, sub(b, a)))
                if v > 0:
                    r[j] = v
            wb.append(r)

    lms = inp["last_mechanism_step_block"]
    last_tempo = max(0, block - tempo) if lms == 0 else lms + 1
    alpha = ONE - ((h["bonds_moving_average"] << 64) // 1_000_000 >> 32)

    def ema(newer, older, a):
        out = []
        for i in range(n):
            r = {}
            for j in sorted(set(newer[i]) | set(older[i])):
                v = 0
                if j in newer[i]:
                    v = add(v, mul(a, newer[i][j]))
                if j in older[i]:
                    v = add(v, mul(sub(ONE, a), older[i][j]))
                if v > 0:
                    r[j] = v
            out.append(r)
        return out

    if h["yuma3"]:
        # 4.12
        bonds = [{j: u16_proportion(v) for j, v in inp["bonds"][i] if not last_tempo <= reg[j]} for i in range(n)]
        if h["liquid_alpha"] and any(c != 0 for c in consensus):
            low = u16_proportion(h["alpha_low"])
            high = u16_proportion(h["alpha_high"])
            slope = saturating_div(from_int(h["alpha_sigmoid_steepness"]), from_int(-100))
            ema_bonds = []
            for i in range(n):
                r = {}
                for j, w in wb[i].items():
                    b = bonds[i].get(j, 0)
                    c = consensus[j]
                    if w >= b:
                        d = max(0, min(ONE, sub(w, c)))
                    else:
                        d = max(0, min(ONE, sub(b, w)))
                    sig = saturating_div(ONE, add(ONE, exp_safe(mul(slope, sub(d, ONE // 2)))))
                    a = max(low, min(high, add(low, mul(sig, sub(high, low)))))
                    decayed = mul(sub(ONE, a), b) if j in bonds[i] else 0
                    v = min(ONE, add(decayed, max(0, mul(a, w))))
                    if v > 0:
                        r[j] = v
                ema_bonds.append(r)
        else:
            ema_bonds = ema(wb, bonds, alpha)
        norm = col_normalize(ema_bonds, n)
        per_validator = [sum(mul(v, incentive[j]) for j, v in norm[i].items()) for i in range(n)]
        dividends = []
        for i in range(n):
            m = checked_mul(per_validator[i], active_stake[i])
            dividends.append(0 if m is None else m)
        dividends = normalize(dividends)
        stored = ema_bonds
    else:
        # 4.11
        bonds = [{j: from_int(v) for j, v in inp["bonds"][i] if not last_tempo <= reg[j]} for i in range(n)]
        bonds = col_normalize(bonds, n)
        delta = col_normalize([{j: mul(v, active_stake[i]) for j, v in wb[i].items()} for i in range(n)], n)
        ema_bonds = col_normalize(ema(delta, bonds, alpha), n)
        dividends = normalize([sum(mul(incentive[j], v) for j, v in ema_bonds[i].items()) for i in range(n)])
        stored = col_max_upscale(ema_bonds, n)

    # 4.14 emission split
    combined = [add(incentive[i], dividends[i]) for i in range(n)]
    esum = sum(combined)
    server = normalize_by(incentive, esum)
    validator = normalize_by(dividends, esum)
    combined_share = normalize(combined)
    if esum == 0:
        fallback = stake if sum(active_stake) == 0 else active_stake
        validator = fallback
        combined_share = fallback
    e = inp["emission"]

    def rao(x):
        return max(0, min((1 << 64) - 1, (x * e) >> FRAC)) if x > 0 else 0

    # 4.13 stored bonds
    out_bonds = []
    for i in range(n):
        if new_permit[i]:
            out_bonds.append([[j, to_u16_proportion(v)] for j, v in sorted(stored[i].items())])
        else:
            out_bonds.append([])

    return {
        "active": active,
        "stake_weight": [to_u16_proportion(x) for x in stake],
        "validator_permit": new_permit,
        "consensus": [to_u16_proportion(x) for x in consensus],
        "validator_trust": [to_u16_proportion(x) for x in validator_trust],
        "incentive": [to_u16_proportion(x) for x in incentive],
        "dividends": [to_u16_proportion(x) for x in dividends],
        "server_emission": [rao(x) for x in server],
        "validator_emission": [rao(x) for x in validator],
        "emission": [rao(x) for x in combined_share],
        "bonds": out_bonds,
    }


if __name__ == "__main__":
    inputs = json.load(sys.stdin)
    json.dump([epoch(i) for i in inputs], sys.stdout)
