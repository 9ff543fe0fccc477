#!/usr/bin/env bash
# CI: installs Chromium from the Debian packages for the headless-browser test of the run report
# (tests/Pipeline.Tests/Reporting/RunReportBrowserTests.cs). Does nothing when /usr/bin/chromium is already there.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium
/usr/bin/chromium --version
