#!/usr/bin/env python3
"""A live testnet at scale, measured: `cortex testnet up` with the given options (by default 5 nodes x 64 subnets x
(251 miners + 4 validators + the owner) = 256 uids a subnet, 16,384 in all), then, once every subnet is full, EPOCHS
epochs of every subnet. It prints what BENCHMARKS.md records: the time until every uid was registered, the block
interval's and the epoch duration's p99 over the window (from each node's /metrics, the histograms' buckets), the
epochs each subnet ran against the blocks it was due in, and each node's peak RSS (VmHWM). It stops the testnet.

Usage: bench/run-live-scale.py [--epochs 20] [--jar deploy/target/cortex.jar] [-- testnet up options...]
Run it on a quiet machine: every node, and the CLI polling them, share its cores. CORTEX_HOME is a fresh temp dir.
"""
import argparse, json, os, re, subprocess, sys, tempfile, time, urllib.request

DEFAULT_UP = ["--outside", "0", "--nodes", "5", "--subnets", "64", "--miners", "251", "--validators", "4",
              "--block-time", "1s", "--tempo", "40", "--round-interval", "300s", "--heartbeat-pause", "10s",
              "--aeron-idle", "sleep", "--node-heap", "768m"]


def cli(jar, home, *args, timeout=120):
    env = dict(os.environ, CORTEX_HOME=home)
    r = subprocess.run(["java", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-jar", jar, *args],
                       env=env, capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout + r.stderr


def subnets(jar, home):
    code, out = cli(jar, home, "subnet", "list", "--json")
    if code != 0:
        return None
    return json.loads(out[out.index("{"):])["subnets"]


def nodes(home):
    props = {}
    with open(os.path.join(home, "testnet", "testnet.properties")) as f:
        for line in f:
            if "=" in line and not line.startswith("#"):
                k, v = line.rstrip("\n").split("=", 1)
                props[k] = v.replace("\\:", ":")
    out = []
    i = 1
    while f"node.{i}.name" in props:
        out.append({"name": props[f"node.{i}.name"], "pid": int(props[f"node.{i}.pid"]), "ops": props[f"node.{i}.ops"]})
        i += 1
    return out


def buckets(ops, name):
    text = urllib.request.urlopen(f"http://{ops}/metrics", timeout=30).read().decode()
    b = {}
    for m in re.finditer(r'^' + name + r'_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\S+)$', text, re.M):
        le = float("inf") if m.group(1) == "+Inf" else float(m.group(1))
        b[le] = b.get(le, 0) + float(m.group(2))
    return b


def p99(before, after):
    delta = sorted((le, after[le] - before.get(le, 0)) for le in after)
    total = delta[-1][1] if delta else 0
    if total <= 0:
        return None, 0
    for le, cum in delta:
        if cum >= 0.99 * total:
            return le, int(total)
    return float("inf"), int(total)


def hwm(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1)) // 1024
    except (OSError, AttributeError):
        return None


def option(args, name):
    return args[args.index(name) + 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--jar", default="deploy/target/cortex.jar")
    ap.add_argument("up", nargs="*")
    a = ap.parse_args()
    up = a.up or DEFAULT_UP
    jar = os.path.abspath(a.jar)
    home = tempfile.mkdtemp(prefix="cortex-live-scale-")
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} testnet up --detach {' '.join(up)} (CORTEX_HOME {home})", flush=True)
    started = time.time()
    code, out = cli(jar, home, "testnet", "up", "--detach", *up, timeout=1800)
    print(out[-600:], flush=True)
    if code != 0:
        sys.exit("testnet up failed")
    try:
        want = int(option(up, "--subnets"))
        per_subnet = int(option(up, "--miners")) + int(option(up, "--validators")) + 1  # and the owner
        while True:
            s = subnets(jar, home)
            if s:
                full = sum(1 for x in s if x["n"] >= per_subnet)
                print(f"  {time.time() - started:6.0f} s: {sum(x['n'] for x in s)} uids registered, {full} of {want} "
                      f"subnets full ({per_subnet} uids)", flush=True)
                if full == want:
                    break
            if time.time() - started > 3600:
                sys.exit("not every subnet filled within an hour")
            time.sleep(15)
        registered = time.time() - started
        ns = nodes(home)
        first = {x["netuid"]: (int(x["epochIndex"]), int(x["lastEpochBlock"])) for x in subnets(jar, home)}
        before = {n["name"]: (buckets(n["ops"], "cortex_block_interval"), buckets(n["ops"], "cortex_epoch_duration"))
                  for n in ns}
        t0 = time.time()
        while True:
            s = subnets(jar, home)
            if s and min(int(x["epochIndex"]) - first[x["netuid"]][0] for x in s) >= a.epochs:
                break
            time.sleep(10)
        window = time.time() - t0
        tempo = s[0]["tempo"]
        print(f"every subnet full after {registered:.0f} s; then {a.epochs} epochs of every subnet in {window:.0f} s")
        for n in ns:
            b0, e0 = before[n["name"]]
            bi, blocks = p99(b0, buckets(n["ops"], "cortex_block_interval"))
            ed, epochs = p99(e0, buckets(n["ops"], "cortex_epoch_duration"))
            print(f"  {n['name']}: block interval p99 <= {bi} s over {blocks} blocks, epoch duration p99 <= {ed} s over "
                  f"{epochs} epochs, peak RSS {hwm(n['pid'])} MB")
        # a subnet's epochs come every tempo blocks; one put off (at most 2 a block on a live chain) comes later
        late = []
        for x in s:
            e0, b0 = first[x["netuid"]]
            ran = int(x["epochIndex"]) - e0
            span = int(x["lastEpochBlock"]) - b0
            if span != ran * tempo:
                late.append((x["netuid"], ran, span))
        print(f"epochs: each subnet ran {a.epochs} or more; "
              + ("every one came exactly every tempo" if not late
                 else f"(netuid, epochs, blocks between the first and the last) off the tempo: {late}"))
        # whether the subnets' competition pays: every 8th subnet, how many of its miners earned in its last epoch
        paying = []
        for x in s[::8]:
            code, out = cli(jar, home, "metagraph", "--netuid", str(x["netuid"]), "--json")
            if code == 0:
                neurons = json.loads(out[out.index("{"):]).get("neurons", [])
                paying.append((x["netuid"], sum(1 for n in neurons if n.get("incentive", 0) > 0)))
        print(f"miners with incentive in the last epoch, every 8th subnet (netuid, miners): {paying}")
    finally:
        print(cli(jar, home, "testnet", "down")[1][-200:])


if __name__ == "__main__":
    main()
