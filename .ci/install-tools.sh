#!/usr/bin/env bash
# Installs the tools the tests use beyond the .NET SDK, only when missing: shellcheck (checks deploy/deploy.sh).
# Never fails the caller: a tool that cannot be installed is reported in one line and its test skips saying so.
set -uo pipefail
if command -v shellcheck >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  if apt-get install -y -qq shellcheck >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq shellcheck >/dev/null 2>&1; }; then
    exit 0
  fi
fi
echo "install-tools: could not install shellcheck (needs root and apt-get with the Debian package reachable); the deploy.sh shellcheck test will skip" >&2
exit 0
