#!/usr/bin/env bash
# Runs the SalesIntel job. With no arguments: scores the shipped fixtures (fixtures/accounts.csv) with the built-in
# rules scorer and writes out/recommendations.csv, out/dead-letters.jsonl and out/summary.json. With arguments:
# passes them to the salesintel CLI, e.g. ./run.sh score --help, ./run.sh fixtures generate --rows 1000000 --out big.arrow
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh needs the .NET 10 SDK ('dotnet' on PATH); see https://dot.net/download" >&2
  exit 2
fi
log=$(mktemp)
if ! dotnet build src/Pipeline/SalesIntel.Pipeline.csproj -c Release -nologo -v quiet >"$log" 2>&1; then
  cat "$log" >&2
  echo "run.sh: the build failed (output above)" >&2
  exit 1
fi
rm -f "$log"
if [ $# -eq 0 ]; then
  set -- score --source fixtures/accounts.csv --from 2026-11-26 --to 2026-11-27 --scorer rules \
    --sink out/recommendations.csv --dead-letter out/dead-letters.jsonl --summary out/summary.json
fi
exec dotnet src/Pipeline/bin/Release/net10.0/salesintel.dll "$@"
