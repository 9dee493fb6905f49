#!/bin/sh
# An MCP "server" that writes garbage to stdout instead of JSON-RPC.
echo 'this is not JSON-RPC'
echo '{"jsonrpc": broken'
exec sleep 30
