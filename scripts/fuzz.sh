#!/usr/bin/env bash
# The scheduled/manual fuzz job: runs every fuzz target of the module for
# FUZZTIME each (default 60s). Not part of scripts/test.sh or .ci/run, which
# run on every push (go test already runs each target's seed corpus there).
#
#   bash scripts/fuzz.sh                  # every target, 60 s each
#   FUZZTIME=10s bash scripts/fuzz.sh ./realtime/...
#
# Targets are discovered with `go test -list '^Fuzz'`, so a new one is picked
# up without editing this file. A failing input is written to the package's
# testdata/fuzz/<Target>/ by go test; commit it as a regression seed with the
# fix. The script runs every target and exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-60s}
pkgs=$(go list "${@:-./...}") || exit 1
failed=()
count=0
for pkg in $pkgs; do
	targets=$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz') || continue
	for target in $targets; do
		count=$((count + 1))
		echo "=== $pkg $target ($fuzztime)"
		if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 10s "$pkg"; then
			failed+=("$pkg $target")
		fi
	done
done
echo "ran $count fuzz targets for $fuzztime each"
if [ ${#failed[@]} -gt 0 ]; then
	printf 'FAILED: %s\n' "${failed[@]}" >&2
	exit 1
fi
