# Sourced by the bench scripts that start processes of their own: a free loopback port, and stopping the
# processes a script started (their pids in the array pids).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
pids=()
stop_all() {
  for p in "${pids[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
  done
  pids=()
}

# Raw Aeron ping-pong over UDP between two processes (RawPingPong), its RESULT line in $out/raw-udp.txt; the
# caller's JAVA and bench arrays say how to run it.
raw_aeron_udp() {
  local ping_port pong_port
  ping_port=$(free_port); pong_port=$(free_port)
  "${JAVA[@]}" io.cortex.bench.query.RawPingPong udp-pong "$ping_port" "$pong_port" >"$out/raw-pong-udp.txt" 2>&1 & pids+=($!)
  sleep 2
  "${JAVA[@]}" "${bench[@]}" io.cortex.bench.query.RawPingPong udp-ping "$ping_port" "$pong_port" | tee "$out/raw-udp.txt" >&2
  stop_all
}

# A Pekko gRPC unary call between two processes (QueryBench), its RESULT line in $out/grpc.txt; the arguments
# are the client's settings (-Dbench.*).
grpc_unary() {
  local grpc_port
  grpc_port=$(free_port)
  "${JAVA[@]}" io.cortex.bench.query.QueryBench grpc-serve "$grpc_port" >"$out/grpc-serve.txt" 2>&1 & pids+=($!)
  sleep 5
  "${JAVA[@]}" "$@" io.cortex.bench.query.QueryBench grpc-query "$grpc_port" 2>/dev/null | tee "$out/grpc.txt" >&2
  stop_all
}

# The working directory of a bench that runs its own local testnet: a fresh $out (target/NAME), CORTEX_HOME under
# it, and no testnet left running there; the caller's $cortex is the command line.
testnet_bench_dir() {
  out="$PWD/target/$1"
  rm -rf "$out"
  mkdir -p "$out"
  export CORTEX_HOME="$out/home"
  $cortex testnet down >/dev/null 2>&1 || true
}

now_ms() {
  date +%s%3N
}
