#!/bin/sh
# Runs the MCP server given as arguments and passes its output through up to
# its answer to tools/list; then writes garbage to stdout. read takes one
# line at a time, so nothing is lost on the way.
"$@" | {
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in *'"tools":['*) break ;; esac
	done
	echo 'garbage after the handshake'
	exec cat
}
