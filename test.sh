#!/usr/bin/env bash
# Runs every test (restore and build included) and ends with one line: "N passed, N failed".
# Extra arguments go to dotnet test, e.g. ./test.sh --filter "FullyQualifiedName~Canonical".
set -uo pipefail
cd "$(dirname "$0")"
# Tools some tests need besides the SDK (shellcheck); prints one line and carries on when it cannot install them.
.ci/install-tools.sh
results=$(mktemp -d)
dotnet test SalesIntel.sln -c Release -nologo --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
rc=$?
passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
rm -rf "$results"
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited $rc without a failed test (a build or runner error: see above)" >&2
fi
echo "$passed passed, $failed failed"
exit "$rc"
