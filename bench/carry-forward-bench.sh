#!/usr/bin/env bash
# Carry-forward index benchmark (issue 12): N earlier recommendations served by the fake BigQueryRead (in-process,
# loopback gRPC, real Arrow IPC) are loaded into the carry-forward index through the run's own code path; prints the
# load rate (rows/s), the in-memory bytes per account (index array, and the managed heap the built index holds) and
# the spill file per account. Usage: bench/carry-forward-bench.sh [rows ...]   (default: 1000000 5000000)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/CarryForwardBench/SalesIntel.CarryForwardBench.csproj -c Release -nologo -v quiet >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, dotnet $(dotnet --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for rows in "${@:-1000000 5000000}"; do
  for n in $rows; do
    dotnet bench/CarryForwardBench/bin/Release/net10.0/SalesIntel.CarryForwardBench.dll --rows "$n"
  done
done
