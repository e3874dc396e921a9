#!/usr/bin/env bash
# Makes a fresh clone runnable: the pinned nats-server / FerretDB / nats CLI binaries and the npm
# dependencies. Fast and silent when everything is already there, so `npm start`, `npm test` and
# .ci/run all call it first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-tools.sh >/dev/null

# `npm ci` wipes node_modules first, so skip it when the installed tree already matches the lockfile
# and the patches (patch-package applies them after every install).
installed_marker=node_modules/.installed-package-lock.json
if ! cat package-lock.json patches/*.patch | cmp -s - "$installed_marker"; then
  # The registry mirror lacks @swc/core's binaries for other platforms, which `npm ci` insists on
  # finding in the lockfile; `npm install` from the same lockfile installs the same versions here.
  npm ci --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund
  cat package-lock.json patches/*.patch >"$installed_marker"
fi
