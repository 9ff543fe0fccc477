#!/usr/bin/env bash
# File formats benchmark: rows/s of the fixture generator, the account file writer and each file source
# (CSV, JSON Lines, Arrow file, Arrow stream), reading alone and reading + decoding, for N generated rows.
# Usage: bench/file-source-bench.sh [rows] [steps]   (defaults 1000000 and generate,write,read,decode). Data goes to bench/data (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
dotnet build bench/FileSourceBench/FileSourceBench.csproj -c Release -nologo -v quiet >/dev/null
mkdir -p bench/data
exec dotnet bench/FileSourceBench/bin/Release/net10.0/SalesIntel.FileSourceBench.dll "$rows" bench/data "${2:-generate,write,read,decode}"
