#!/usr/bin/env bash
# BigQuery sink benchmark (issue 4): writes N recommendations (default 1,000,000) through BigQuerySink into the fake
# BigQueryWrite over loopback (PENDING streams, offsets, finalize + commit; the fake decodes every row with the sent
# descriptor) and prints rows/s, MB/s and peak RSS. The fake runs as its own process, so the client's RSS is the sink's.
# Usage: bench/bq-write-bench.sh [rows] [batch-rows] [commit-rows]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
batch=${2:-10000}
commit=${3:-100000}
dotnet build bench/BqWriteBench/SalesIntel.BqWriteBench.csproj -c Release -nologo -v quiet >/dev/null
bench=(dotnet bench/BqWriteBench/bin/Release/net10.0/SalesIntel.BqWriteBench.dll)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), dotnet $(dotnet --version)"
echo "rows $rows, batch $batch rows per WriteAsync, commit every $commit rows"

fifo_dir=$(mktemp -d)
mkfifo "$fifo_dir/in"
"${bench[@]}" serve <"$fifo_dir/in" >"$fifo_dir/out" 2>&1 &
server=$!
exec 3>"$fifo_dir/in"
cleanup() { exec 3>&- 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$fifo_dir"; }
trap cleanup EXIT
for _ in $(seq 1 200); do
  grep -q '^listening ' "$fifo_dir/out" 2>/dev/null && break
  sleep 0.1
done
address=$(awk '/^listening /{print $2}' "$fifo_dir/out")
[ -n "$address" ] || { cat "$fifo_dir/out" >&2; echo "the fake did not start" >&2; exit 1; }

stats=$(mktemp)
/usr/bin/time -f '%e %M' -o "$stats" "${bench[@]}" write --emulator "$address" --rows "$rows" --batch-rows "$batch" --commit-rows "$commit" ${BQ_BENCH_ARGS:-}
read -r secs rss_kb <"$stats"
rm -f "$stats"
echo "client process: ${secs} s elapsed (incl. start-up), peak RSS $((rss_kb / 1024)) MB (/usr/bin/time)"
exec 3>&-
wait "$server" || true
sed -n 's/^fake /fake process: /p' "$fifo_dir/out"
