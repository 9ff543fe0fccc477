#!/usr/bin/env bash
# Runtime-setting experiments (issue 13): runs our CLI CSV -> rules -> CSV (FMT=arrow: Arrow file -> Arrow file) on
# the generated accounts-N file under each setting in turn, round after round (interleaved, so every setting sees the
# same load), printing wall seconds, CPU seconds (user + sys) and peak RSS per run. A setting is a list of environment
# variables (DOTNET_* runtime knobs), optionally followed by @path/to/salesintel.dll to compare another build.
# Usage: bench/cli-variants.sh N rounds "SETTING" ...
#   e.g. bench/cli-variants.sh 200000 2 "X=0" "DOTNET_TieredCompilation=0" "DOTNET_TC_QuickJit=0"
set -euo pipefail
cd "$(dirname "$0")/.."
n=$1 rounds=$2
shift 2
fmt=${FMT:-csv}
dotnet build src/Pipeline/SalesIntel.Pipeline.csproj -c Release -nologo -v quiet >/dev/null
mkdir -p bench/data
data="bench/data/accounts-$n.$fmt"
[ -f "$data" ] || dotnet src/Pipeline/bin/Release/net10.0/salesintel.dll fixtures generate --rows "$n" --seed 7 --dates 2026-11-27 --out "$data" >/dev/null
echo "machine: $(nproc) cores, $(uname -srm), load average $(cut -d' ' -f1-3 /proc/loadavg)"
stats=$(mktemp)
trap 'rm -f "$stats"' EXIT
for _ in $(seq 1 "$rounds"); do
  for setting in "$@"; do
    vars=${setting%%@*}
    dll=src/Pipeline/bin/Release/net10.0/salesintel.dll
    [[ $setting == *@* ]] && dll=${setting##*@}
    # shellcheck disable=SC2086 # the setting is a list of VAR=value words
    /usr/bin/time -f '%e %U %S %M' -o "$stats" env $vars dotnet "$dll" score --source "$data" --sink "bench/data/variant-out.$fmt" \
      --date 2026-11-27 --max-rows 100000000 --summary bench/data/variant-summary.json --dead-letter bench/data/variant-dead.jsonl \
      --progress-interval 3600 >/dev/null 2>&1
    awk -v s="$setting" '{ printf "%-55s wall %6.2f  cpu %6.2f  RSS %5.0f MB\n", s, $1, $2 + $3, $4 / 1024 }' "$stats"
  done
done
