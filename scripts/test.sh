#!/usr/bin/env bash
# `npm test`: every check and test, arranged to finish soonest on a 2-core machine. Type checking
# and lint run side by side (each keeps one core busy); the production build the end-to-end tests
# need is made while the unit tests run, which mostly wait on PostgreSQL, kubectl and guests. The
# build's output is shown when it is done, so the two logs do not interleave.
set -euo pipefail
cd "$(dirname "$0")/.."

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

npm run -s typecheck & pids+=($!)
npm run -s lint & pids+=($!)
for pid in "${pids[@]}"; do wait "$pid"; done
pids=()

build_log=$(mktemp)
SKYLIGHT_BUILD_TYPECHECKED=1 npm run -s build >"$build_log" 2>&1 & build=$!
pids+=($build)
npm run -s test:unit
if ! wait "$build"; then
  cat "$build_log"
  echo "The production build failed." >&2
  exit 1
fi
pids=()
cat "$build_log"
rm -f "$build_log"

npm run -s test:e2e
