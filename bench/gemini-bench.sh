#!/usr/bin/env bash
# Gemini scorer throughput under a Vertex AI quota, against the in-process fake, beside two baselines.
# Options: --quota Q (requests per scaled minute, default 120) --scale S (time compression, default 10: a minute
# lasts 6 s) --accounts N (default 600) --cap-seconds C (baseline time cap, default 20) --median-ms M (default 1500)
# --sigma X (log-normal spread, default 0.6). Takes about a minute.
# --scenario faults: the CLI pipeline on --accounts N (default 1500) at --concurrency C (default 16), fake latency
# --median-ms M (default 25), fault-free and then with every --fault-every K-th (default 7) call UNAVAILABLE; prints
# the throughput ratio (goal >= 0.80). Takes well under a minute once built.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/GeminiBench -c Release -v quiet -nologo >/dev/null
exec dotnet bench/GeminiBench/bin/Release/net10.0/SalesIntel.GeminiBench.dll "$@"
