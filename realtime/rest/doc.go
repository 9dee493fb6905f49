// Package rest is the Go client of the realtime server's REST API for the
// calls that the Go code makes itself: minting a JWT with a secret key
// (MintToken). The request and reply shapes live in realtime/wire, shared
// with the server.
//
// It is a package of its own, not part of realtime/signalling, so that
// internal/realtimetest (which signalling's tests import) can use it too.
package rest
