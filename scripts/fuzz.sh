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
# fix. A target fails the job only when go test fails AND writes such an
# input: go1.26 may end a duration-bounded run with a bare "context deadline
# exceeded" and no input (golang/go#75804, fixed in go1.27); that is counted
# as a flake and reported, not failed. The script runs every target and exits
# non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-60s}
pkgs=$(go list "${@:-./...}") || exit 1
failed=()
flaked=()
count=0
for pkg in $pkgs; do
	if ! list=$(go test -list '^Fuzz' "$pkg"); then
		failed+=("$pkg (go test -list failed)")
		continue
	fi
	targets=$(grep '^Fuzz' <<<"$list") || continue
	dir=$(go list -f '{{.Dir}}' "$pkg")
	for target in $targets; do
		count=$((count + 1))
		corpus="$dir/testdata/fuzz/$target"
		before=$(ls "$corpus" 2>/dev/null)
		echo "=== $pkg $target ($fuzztime)"
		out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 10s "$pkg" 2>&1)
		status=$?
		echo "$out"
		if [ $status -ne 0 ]; then
			# Only the Go fuzzer's known deadline failure without an input is a flake.
			if [ "$(ls "$corpus" 2>/dev/null)" = "$before" ] && grep -q 'context deadline exceeded' <<<"$out"; then
				flaked+=("$pkg $target")
			else
				failed+=("$pkg $target")
			fi
		fi
	done
done
echo "ran $count fuzz targets for $fuzztime each"
if [ ${#flaked[@]} -gt 0 ]; then
	printf 'FLAKE (failed without a failing input, golang/go#75804): %s\n' "${flaked[@]}" >&2
fi
if [ ${#failed[@]} -gt 0 ]; then
	printf 'FAILED: %s\n' "${failed[@]}" >&2
	exit 1
fi
