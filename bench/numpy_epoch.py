#!/usr/bin/env python3
"""The yardstick of BENCHMARKS.md: the same Yuma epoch as ledger/ (docs/spec/yuma.md section 4), written
the way a researcher would in numpy: dense float64 matrices, vectorised. Not bit-exact (floats), not
product code. It times the epoch only (parsing excluded) and prints the median.

By default the matrices are n x n. With --rows they hold only the rows of uids that have weights, bonds or
stake (the validators), r x n: the same result, since every other row is zero throughout.

With --blocks WIDTH the epoch is still dense, n x n, but goes over the columns WIDTH at a time, in two
passes (the first sums the rows of the weights; everything else in Yuma is per column, or a sum over
columns): the only way dense numpy runs a subnet of 32,768 uids, where an n x n float64 matrix is 8.6 GB
and the epoch holds several. Each column block is written out dense from the sorted inputs, inside the
timing. --verify-blocks WIDTH runs both on the input and checks that they agree, then exits.

Usage: numpy_epoch.py INPUT.json [--repeat N] [--rows | --blocks WIDTH | --verify-blocks WIDTH]
"""
import json
import sys
import time

import numpy as np


def load_matrices(d, only_live_rows=False):
    n = d["n"]
    if only_live_rows:
        rows = np.array([i for i in range(n) if d["weights"][i] or d["bonds"][i] or d["stake"][i] > 0], dtype=np.int64)
    else:
        rows = np.arange(n)
    weights = np.zeros((len(rows), n))
    bonds = np.zeros((len(rows), n))
    for k, i in enumerate(rows):
        for j, v in d["weights"][i]:
            weights[k, j] = v
        for j, v in d["bonds"][i]:
            bonds[k, j] = v
    return rows, weights, bonds


def kappa_median(scores, stake, kappa):
    """Per column: the smallest score whose cumulative stake exceeds (sum - kappa); rows are voters."""
    order = np.argsort(scores, axis=0, kind="stable")
    sorted_scores = np.take_along_axis(scores, order, axis=0)
    cumulative = np.cumsum(stake[order], axis=0)
    minority = stake.sum() - kappa
    first = np.argmax(cumulative > minority, axis=0)
    crossed = (cumulative > minority).any(axis=0)
    last = scores.shape[0] - 1
    return np.where(crossed, sorted_scores[first, np.arange(scores.shape[1])], sorted_scores[last])


class Stakes:
    """What the epoch knows before the weights: who is active, stake, permits (yuma.md 4.1 to 4.3)."""

    def __init__(self, d):
        n = d["n"]
        h = d["hyper"]
        block = d["block"]
        tempo = d["tempo"]
        self.last_update = last_update = np.array(d["last_update"], dtype=np.int64)
        self.reg = np.array(d["block_at_registration"], dtype=np.int64)
        self.owner = owner = d["owner_uid"]

        cutoff = max(1, h["activity_cutoff_factor_milli"] * tempo // 1000)
        active = ~(last_update + cutoff < block)

        stake = np.array(d["stake"], dtype=np.float64)
        below = stake < h["stake_threshold"]
        if owner is not None:
            below[owner] = False
        stake[below] = 0
        self.S = S = stake / stake.sum() if stake.sum() > 0 else stake

        self.permit = permit = np.array(d["validator_permit"])
        if owner is not None:
            permit[owner] = True
        k = h["max_allowed_validators"]
        self.new_permit = new_permit = S > 0
        if n >= k:
            order = np.argsort(S, kind="stable")
            new_permit[order[: n - k]] = False

        A_all = np.where(active & permit, S, 0.0)
        if A_all.sum() > 0:
            A_all = A_all / A_all.sum()
        self.A_all = A_all

        self.kappa = h["kappa"] / 65535
        self.beta = h["bonds_penalty"] / 65535
        lms = d["last_mechanism_step_block"]
        self.last_tempo = block - tempo if lms == 0 else lms + 1
        self.alpha = 1 - h["bonds_moving_average"] / 1e6
        self.yuma3 = h["yuma3"]
        self.mean_consensus = h.get("mean_consensus", False)


def epoch(d, rows, W_raw, B_raw):
    """W_raw and B_raw hold the rows `rows` of the n x n matrices (all of them, or every row not all zero)."""
    n = d["n"]
    st = Stakes(d)
    last_update, reg, owner, permit = st.last_update, st.reg, st.owner, st.permit
    A = st.A_all[rows]

    # weights: permitted rows, no self weight (owner's kept), no outdated entries
    W = W_raw * permit[rows][:, None]
    own = np.arange(len(rows))
    keep_self = rows == owner if owner is not None else np.zeros(len(rows), dtype=bool)
    W[own[~keep_self], rows[~keep_self]] = 0
    W[last_update[rows][:, None] <= reg[None, :]] = 0
    row_sum = W.sum(axis=1, keepdims=True)
    W = np.divide(W, row_sum, out=np.zeros_like(W), where=row_sum > 0)

    C = consensus(st, A, W, n)
    W_clip = np.minimum(W, C[None, :])
    VT = np.zeros(n)
    VT[rows] = W_clip.sum(axis=1)
    R = A @ W_clip
    I = R / R.sum() if R.sum() > 0 else R

    B_new, D = bonds(st, A, W, W_clip, B_raw, reg, I)
    D_rows = D
    D = np.zeros(n)
    D[rows] = D_rows
    stored = np.where(st.new_permit[rows][:, None], np.floor(B_new * 65535), 0)
    return emissions(d, st, I, D, C, VT, stored)


def consensus(st, A, W, n):
    """Each column's consensus weight: the stake-weighted mean, or the kappa median of the voters."""
    voters = A > 0
    if st.mean_consensus:
        return A @ W  # mean consensus: the active stake's mean weight
    if voters.any():
        return kappa_median(W[voters], A[voters] / A[voters].sum(), st.kappa)
    return np.zeros(n)


def bonds(st, A, W, W_clip, B_raw, reg, I):
    """The new bonds of the columns given (reg: those columns' registration blocks) and the dividends they
    earn on I, the incentive of the same columns: (B_new, D), D summed over those columns only."""
    Wb = W + st.beta * (W_clip - W)
    recent = st.last_tempo <= reg
    alpha = st.alpha
    if st.yuma3:
        B = B_raw / 65535
        B[:, recent] = 0
        B_new = alpha * Wb + (1 - alpha) * B
        col = B_new.sum(axis=0, keepdims=True)
        Bn = np.divide(B_new, col, out=np.zeros_like(B_new), where=col > 0)
        return B_new, (Bn @ I) * A
    B = B_raw.copy()
    B[:, recent] = 0
    col = B.sum(axis=0, keepdims=True)
    B = np.divide(B, col, out=np.zeros_like(B), where=col > 0)
    delta = Wb * A[:, None]
    col = delta.sum(axis=0, keepdims=True)
    delta = np.divide(delta, col, out=np.zeros_like(delta), where=col > 0)
    B_new = alpha * delta + (1 - alpha) * B
    col = B_new.sum(axis=0, keepdims=True)
    B_new = np.divide(B_new, col, out=np.zeros_like(B_new), where=col > 0)
    D = B_new @ I
    mx = B_new.max(axis=0, keepdims=True)
    B_new = np.divide(B_new, mx, out=np.zeros_like(B_new), where=mx > 0)
    return B_new, D


def emissions(d, st, I, D, C, VT, stored):
    """Dividends normalised, and the emission split between incentive and dividends (yuma.md 4.10)."""
    n = d["n"]
    D = D / D.sum() if D.sum() > 0 else D
    total = I.sum() + D.sum()
    E = d["emission"]
    if total > 0:
        server, validator = I / total, D / total
        combined = (I + D) / total
    else:
        server = np.zeros(n)
        validator = combined = st.A_all if st.A_all.sum() > 0 else st.S
    return {
        "incentive": np.floor(I * 65535),
        "dividends": np.floor(D * 65535),
        "server_emission": np.floor(server * E),
        "validator_emission": np.floor(validator * E),
        "emission": np.floor(combined * E),
        "bonds": stored,
        "consensus": C,
        "validator_trust": VT,
    }


def by_column(d, key):
    """A sparse matrix of the input (weights or bonds) as entries sorted by column, for writing out dense
    column blocks: (rows, columns, values, starts), starts[j] the first entry of column j."""
    n = d["n"]
    entries = [(i, j, v) for i in range(n) for j, v in d[key][i]]
    r = np.array([e[0] for e in entries], dtype=np.int64)
    c = np.array([e[1] for e in entries], dtype=np.int64)
    v = np.array([e[2] for e in entries], dtype=np.float64)
    order = np.argsort(c, kind="stable")
    r, c, v = r[order], c[order], v[order]
    return r, c, v, np.searchsorted(c, np.arange(n + 1))


def dense_columns(matrix, n, c0, c1):
    """Columns c0 to c1 of the n x n matrix, dense."""
    r, c, v, starts = matrix
    lo, hi = starts[c0], starts[c1]
    out = np.zeros((n, c1 - c0))
    out[r[lo:hi], c[lo:hi] - c0] = v[lo:hi]
    return out


def epoch_blocked(d, W_cols, B_cols, width, keep_bonds=False):
    """The dense epoch over n x n matrices, width columns at a time (W_cols and B_cols from by_column)."""
    n = d["n"]
    st = Stakes(d)
    A = st.A_all
    everyone = np.arange(n)
    drops_self = everyone != st.owner if st.owner is not None else np.ones(n, dtype=bool)

    def weights(c0, c1):  # permitted rows, no self weight (owner's kept), no outdated entries
        W = dense_columns(W_cols, n, c0, c1) * st.permit[:, None]
        own = everyone[c0:c1][drops_self[c0:c1]]
        W[own, own - c0] = 0
        W[st.last_update[:, None] <= st.reg[None, c0:c1]] = 0
        return W

    blocks = [(c0, min(n, c0 + width)) for c0 in range(0, n, width)]
    row_sum = np.zeros(n)
    for c0, c1 in blocks:
        row_sum += weights(c0, c1).sum(axis=1)
    row_sum = row_sum[:, None]

    C, VT, R, D = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    kept = []
    for c0, c1 in blocks:
        W = weights(c0, c1)
        W = np.divide(W, row_sum, out=np.zeros_like(W), where=row_sum > 0)
        C[c0:c1] = consensus(st, A, W, c1 - c0)
        W_clip = np.minimum(W, C[None, c0:c1])
        VT += W_clip.sum(axis=1)
        R[c0:c1] = A @ W_clip
        # the dividends are linear in the incentive I = R / sum(R): sum them over R now, divide at the end
        B_new, D_part = bonds(st, A, W, W_clip, dense_columns(B_cols, n, c0, c1), st.reg[c0:c1], R[c0:c1])
        D += D_part
        stored = np.where(st.new_permit[:, None], np.floor(B_new * 65535), 0)
        if keep_bonds:
            kept.append(stored)
    if R.sum() > 0:
        D = D / R.sum()
        I = R / R.sum()
    else:
        I = R
    return emissions(d, st, I, D, C, VT, np.hstack(kept) if keep_bonds else None)


def verify_blocks(d, width):
    """The blocked epoch against the whole-matrix one on the same input."""
    rows, W, B = load_matrices(d, False)
    whole = epoch(d, rows, W, B)
    blocked = epoch_blocked(d, by_column(d, "weights"), by_column(d, "bonds"), width, keep_bonds=True)
    for key, value in whole.items():
        # floored outputs may land one unit apart where a sum is taken in another order
        if not np.allclose(value, blocked[key], rtol=1e-9, atol=1 if key not in ("consensus", "validator_trust") else 1e-9):
            worst = np.abs(value - blocked[key]).max()
            sys.exit(f"{key}: the blocked epoch differs from the whole-matrix one by up to {worst}")
    print(f"numpy epoch n={d['n']}: blocks of {width} columns agree with the whole matrices on all {len(whole)} outputs")


def main():
    path = sys.argv[1]
    repeat = 20
    if "--repeat" in sys.argv:
        repeat = int(sys.argv[sys.argv.index("--repeat") + 1])
    with open(path) as f:
        d = json.load(f)
    if "--verify-blocks" in sys.argv:
        verify_blocks(d, int(sys.argv[sys.argv.index("--verify-blocks") + 1]))
        return
    if "--blocks" in sys.argv:
        width = int(sys.argv[sys.argv.index("--blocks") + 1])
        W_cols, B_cols = by_column(d, "weights"), by_column(d, "bonds")
        run = lambda: epoch_blocked(d, W_cols, B_cols, width)
        shape = f"dense, {width} columns at a time"
    else:
        rows, W, B = load_matrices(d, "--rows" in sys.argv)
        run = lambda: epoch(d, rows, W, B)
        shape = f"{len(rows)} x {d['n']} rows" if len(rows) < d["n"] else "dense"
    run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    times.sort()
    median = times[len(times) // 2] if len(times) % 2 else (times[len(times) // 2 - 1] + times[len(times) // 2]) / 2
    consensus_name = "mean" if d["hyper"].get("mean_consensus", False) else "median"
    print(f"numpy epoch n={d['n']} ({shape}, {consensus_name} consensus): median {median * 1000:.3f} ms per epoch over {repeat} runs (numpy {np.__version__})")


if __name__ == "__main__":
    main()
