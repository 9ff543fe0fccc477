#!/usr/bin/env bash
# Peer benchmark (issue 13): our CLI and DuckDB (DuckDB.NET.Data.Full from NuGet, bench/PeerBench, 2 threads) run the
# same job on the same generated accounts: the rules scorer of docs/RULES_SCORER.md with rationale and action text and
# an input hash per row (DuckDB: bench/PeerBench/rules.sql). Runs alternate (ours, DuckDB, ours, ...) so both see the
# same machine load; the script prints the median wall seconds, CPU seconds (user + sys) and peak RSS of each, the
# ratios ours/DuckDB, and checks that the two outputs agree on score and tier for >= 99% of rows.
# Jobs: csv:N (CSV -> CSV) and columnar:N (our Arrow IPC file -> Arrow IPC file; DuckDB Parquet -> Parquet).
# Usage: bench/peer-bench.sh [-r repetitions] [job...]   (defaults: -r 3 csv:1000000 columnar:1000000 csv:200000)
#   e.g. bench/peer-bench.sh -r 1 csv:20000 columnar:20000   for a quick check. Data goes to bench/data (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
reps=3
if [ "${1:-}" = "-r" ]; then reps=$2; shift 2; fi
jobs=("$@")
[ ${#jobs[@]} -gt 0 ] || jobs=(csv:1000000 columnar:1000000 csv:200000)
dotnet build src/Pipeline/SalesIntel.Pipeline.csproj -c Release -nologo -v quiet >/dev/null
dotnet build bench/PeerBench/SalesIntel.PeerBench.csproj -c Release -nologo -v quiet >/dev/null
ours=(dotnet src/Pipeline/bin/Release/net10.0/salesintel.dll)
peer=(dotnet bench/PeerBench/bin/Release/net10.0/SalesIntel.PeerBench.dll)
mkdir -p bench/data
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -srm), dotnet $(dotnet --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Runs a command under /usr/bin/time and appends "wall cpu rss_mb" to the file $1.
measure() {
  local into=$1 stats
  shift
  stats=$(mktemp)
  /usr/bin/time -f '%e %U %S %M' -o "$stats" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; cat "$stats" >&2; exit 1; }
  awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$stats" >>"$into"
  rm -f "$stats"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_median() { awk -v c="$2" '{ print $c }' "$1" | median; }

printf '%-22s %-9s %9s %9s %9s\n' job engine wall-s cpu-s "RSS MB"
for job in "${jobs[@]}"; do
  kind=${job%%:*}
  n=${job##*:}
  csv="bench/data/accounts-$n.csv"
  [ -f "$csv" ] || "${ours[@]}" fixtures generate --rows "$n" --seed 7 --dates 2026-11-27 --out "$csv" >/dev/null
  case $kind in
    csv) our_in=$csv; our_out="bench/data/peer-ours-$n.csv"; peer_in=$csv; peer_out="bench/data/peer-duckdb-$n.csv" ;;
    columnar)
      our_in="bench/data/accounts-$n.arrow"; our_out="bench/data/peer-ours-$n.arrow"
      peer_in="bench/data/accounts-$n.parquet"; peer_out="bench/data/peer-duckdb-$n.parquet"
      [ -f "$our_in" ] || "${ours[@]}" fixtures generate --rows "$n" --seed 7 --dates 2026-11-27 --out "$our_in" >/dev/null
      [ -f "$peer_in" ] || "${peer[@]}" prepare "$csv" "$peer_in" ;;
    *) echo "unknown job '$job': use csv:N or columnar:N" >&2; exit 2 ;;
  esac
  our_stats=$(mktemp); peer_stats=$(mktemp)
  for _ in $(seq 1 "$reps"); do
    measure "$our_stats" "${ours[@]}" score --source "$our_in" --sink "$our_out" --date 2026-11-27 --max-rows 100000000 \
      --summary "bench/data/peer-summary-$n.json" --dead-letter "bench/data/peer-dead-$n.jsonl" --progress-interval 3600
    measure "$peer_stats" "${peer[@]}" run "$peer_in" "$peer_out" 2
  done
  for engine in ours duckdb; do
    f=$our_stats; [ $engine = duckdb ] && f=$peer_stats
    printf '%-22s %-9s %9s %9s %9s\n' "$kind $n" $engine "$(column_median "$f" 1)" "$(column_median "$f" 2)" "$(column_median "$f" 3)"
  done
  awk -v a="$(column_median "$our_stats" 1)" -v b="$(column_median "$peer_stats" 1)" \
      -v c="$(column_median "$our_stats" 2)" -v d="$(column_median "$peer_stats" 2)" \
      -v e="$(column_median "$our_stats" 3)" -v f="$(column_median "$peer_stats" 3)" -v n="$n" -v job="$kind $n" \
      'BEGIN { printf "%-22s ratio ours/duckdb: wall %.2f, cpu %.2f, RSS %.2f; ours %.0f rows/s\n", job, a / b, c / d, e / f, n / a }'
  "${peer[@]}" compare "$our_out" "$peer_out" | sed "s/^/$kind $n /"
  rm -f "$our_stats" "$peer_stats"
done
