#!/usr/bin/env python3
"""The yardstick of BENCHMARKS.md: the same Yuma epoch as ledger/ (docs/spec/yuma.md section 4), written
the way a researcher would in numpy: dense float64 matrices, vectorised. Not bit-exact (floats), not
product code. It times the epoch only (parsing excluded) and prints the median.

By default the matrices are n x n. With --rows they hold only the rows of uids that have weights, bonds or
stake (the validators), r x n: the same result, since every other row is zero throughout, and the only way
numpy holds a subnet of 32,768 uids (n x n float64 would be 8.6 GB a matrix).

Usage: numpy_epoch.py INPUT.json [--repeat N] [--rows]
"""
import json
import sys
import time

import numpy as np


def load(path, only_live_rows=False):
    with open(path) as f:
        d = json.load(f)
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
    return d, rows, weights, bonds


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


def epoch(d, rows, W_raw, B_raw):
    """W_raw and B_raw hold the rows `rows` of the n x n matrices (all of them, or every row not all zero)."""
    n = d["n"]
    h = d["hyper"]
    block = d["block"]
    tempo = d["tempo"]
    last_update = np.array(d["last_update"], dtype=np.int64)
    reg = np.array(d["block_at_registration"], dtype=np.int64)
    owner = d["owner_uid"]

    cutoff = max(1, h["activity_cutoff_factor_milli"] * tempo // 1000)
    active = ~(last_update + cutoff < block)

    stake = np.array(d["stake"], dtype=np.float64)
    below = stake < h["stake_threshold"]
    if owner is not None:
        below[owner] = False
    stake[below] = 0
    S = stake / stake.sum() if stake.sum() > 0 else stake

    permit = np.array(d["validator_permit"])
    if owner is not None:
        permit[owner] = True
    k = h["max_allowed_validators"]
    new_permit = S > 0
    if n >= k:
        order = np.argsort(S, kind="stable")
        new_permit[order[: n - k]] = False

    A_all = np.where(active & permit, S, 0.0)
    if A_all.sum() > 0:
        A_all = A_all / A_all.sum()
    A = A_all[rows]

    # weights: permitted rows, no self weight (owner's kept), no outdated entries
    W = W_raw * permit[rows][:, None]
    own = np.arange(len(rows))
    keep_self = rows == owner if owner is not None else np.zeros(len(rows), dtype=bool)
    W[own[~keep_self], rows[~keep_self]] = 0
    W[last_update[rows][:, None] <= reg[None, :]] = 0
    row_sum = W.sum(axis=1, keepdims=True)
    W = np.divide(W, row_sum, out=np.zeros_like(W), where=row_sum > 0)

    voters = A > 0
    kappa = h["kappa"] / 65535
    if h.get("mean_consensus", False):
        C = A @ W  # mean consensus: the active stake's mean weight
    elif voters.any():
        v_stake = A[voters] / A[voters].sum()
        C = kappa_median(W[voters], v_stake, kappa)
    else:
        C = np.zeros(n)
    W_clip = np.minimum(W, C[None, :])
    VT = np.zeros(n)
    VT[rows] = W_clip.sum(axis=1)
    R = A @ W_clip
    I = R / R.sum() if R.sum() > 0 else R

    beta = h["bonds_penalty"] / 65535
    Wb = W + beta * (W_clip - W)

    lms = d["last_mechanism_step_block"]
    last_tempo = block - tempo if lms == 0 else lms + 1
    recent = last_tempo <= reg
    alpha = 1 - h["bonds_moving_average"] / 1e6
    if h["yuma3"]:
        B = B_raw / 65535
        B[:, recent] = 0
        B_new = alpha * Wb + (1 - alpha) * B
        col = B_new.sum(axis=0, keepdims=True)
        Bn = np.divide(B_new, col, out=np.zeros_like(B_new), where=col > 0)
        D = (Bn @ I) * A
    else:
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
    D_rows = D
    D = np.zeros(n)
    D[rows] = D_rows
    D = D / D.sum() if D.sum() > 0 else D

    total = I.sum() + D.sum()
    E = d["emission"]
    if total > 0:
        server, validator = I / total, D / total
        combined = (I + D) / total
    else:
        server = np.zeros(n)
        validator = combined = A_all if A_all.sum() > 0 else S
    stored = np.where(new_permit[rows][:, None], np.floor(B_new * 65535), 0)
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


def main():
    path = sys.argv[1]
    repeat = 20
    if "--repeat" in sys.argv:
        repeat = int(sys.argv[sys.argv.index("--repeat") + 1])
    d, rows, W, B = load(path, "--rows" in sys.argv)
    epoch(d, rows, W, B)  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        epoch(d, rows, W, B)
        times.append(time.perf_counter() - start)
    times.sort()
    median = times[len(times) // 2] if len(times) % 2 else (times[len(times) // 2 - 1] + times[len(times) // 2]) / 2
    shape = f"{len(rows)} x {d['n']} rows" if len(rows) < d["n"] else "dense"
    consensus = "mean" if d["hyper"].get("mean_consensus", False) else "median"
    print(f"numpy epoch n={d['n']} ({shape}, {consensus} consensus): median {median * 1000:.3f} ms per epoch over {repeat} runs (numpy {np.__version__})")


if __name__ == "__main__":
    main()
