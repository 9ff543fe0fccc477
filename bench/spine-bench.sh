#!/usr/bin/env bash
# Spine benchmark (issue 2): generates 1,000,000 and 5,000,000 accounts, then runs the real CLI
# CSV -> rules -> CSV and Arrow -> rules -> Arrow, printing rows/s and peak RSS for each.
# Usage: bench/spine-bench.sh [rows...]   (default: 1000000 5000000). Data goes to bench/data (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 5000000)
dotnet build src/Pipeline/SalesIntel.Pipeline.csproj -c Release -nologo -v quiet >/dev/null
cli=(dotnet src/Pipeline/bin/Release/net10.0/salesintel.dll)
mkdir -p bench/data
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), dotnet $(dotnet --version)"
printf '%-10s %-16s %12s %10s %14s %14s\n' rows path seconds rows/s "peak RSS MB" "written"
for n in "${sizes[@]}"; do
  for fmt in csv arrow; do
    data="bench/data/accounts-$n.$fmt"
    [ -f "$data" ] || "${cli[@]}" fixtures generate --rows "$n" --seed 7 --dates 2026-11-27 --out "$data" >/dev/null
    out="bench/data/out-$n.$fmt"
    stats=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$stats" "${cli[@]}" score --source "$data" --sink "$out" --date 2026-11-27 \
      --max-rows 100000000 --summary "bench/data/summary-$n-$fmt.json" --dead-letter "bench/data/dead-$n-$fmt.jsonl" \
      --progress-interval 3600 >/dev/null 2>&1 || true
    read -r secs rss_kb <"$stats"
    rm -f "$stats"
    written=$(grep -o '"written": [0-9]*' "bench/data/summary-$n-$fmt.json" | grep -o '[0-9]*$')
    awk -v n="$n" -v p="$fmt -> rules -> $fmt" -v s="$secs" -v r="$rss_kb" -v w="$written" \
      'BEGIN { printf "%-10s %-16s %12s %10.0f %14.0f %14s\n", n, p, s, n / s, r / 1024, w }'
  done
done
