#!/bin/sh
# Runs the MCP server given as arguments and passes its output through for
# two seconds (enough for the handshake); then writes garbage to stdout.
"$@" | {
	timeout 2 cat
	echo 'garbage after the handshake'
	exec cat
}
