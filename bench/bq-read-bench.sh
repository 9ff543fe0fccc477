#!/usr/bin/env bash
# BigQuery source benchmark (issue 3): the fake BigQueryRead (its own process) serves N account_signals rows
# (default 1,000,000, one day) over loopback as real Arrow IPC; the real BigQuerySource reads them with 1, 4 and 8
# streams (LZ4, plus ZSTD and uncompressed at 4 streams) and prints rows/s, Arrow MB/s and the client's peak RSS.
# Each client does a warm-up pass (JIT, connection, the fake's response cache) and a measured pass.
# "source" is the source alone (gRPC + protobuf + Arrow IPC decode + LZ4); "source+decoder" also turns every row
# into an AccountRecord with its canonical JSON and hash on the consuming thread. The fake shares the machine's cores
# with the client, so rows/s is a floor for the client; "client CPU" (the measured pass only) is what the source costs.
# Usage: bench/bq-read-bench.sh [rows]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
dotnet build bench/BqReadBench/SalesIntel.BqReadBench.csproj -c Release -nologo -v quiet >/dev/null
bench=(dotnet bench/BqReadBench/bin/Release/net10.0/SalesIntel.BqReadBench.dll)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), dotnet $(dotnet --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"

fifo_dir=$(mktemp -d)
mkfifo "$fifo_dir/in"
"${bench[@]}" serve --rows "$rows" <"$fifo_dir/in" >"$fifo_dir/out" 2>&1 &
server=$!
exec 3>"$fifo_dir/in"
cleanup() { exec 3>&- 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$fifo_dir"; }
trap cleanup EXIT
for _ in $(seq 1 600); do
  grep -q '^listening ' "$fifo_dir/out" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
address=$(awk '/^listening /{print $2}' "$fifo_dir/out")
[ -n "$address" ] || { cat "$fifo_dir/out" >&2; echo "the fake did not start" >&2; exit 1; }
sed -n 's/^generated /fake: generated /p' "$fifo_dir/out"

run() {
  local stats
  stats=$(mktemp)
  line=$(/usr/bin/time -f '%e %M' -o "$stats" "${bench[@]}" read --emulator "$address" "$@")
  read -r _ rss_kb <"$stats"
  rm -f "$stats"
  echo "$line  peak RSS $((rss_kb / 1024)) MB"
}

for streams in 1 4 8; do run --streams "$streams"; done
run --streams 4 --compression zstd
run --streams 4 --compression none
run --streams 4 --decode
exec 3>&-
wait "$server" || true
sed -n 's/^fake served /fake: served /p' "$fifo_dir/out"
