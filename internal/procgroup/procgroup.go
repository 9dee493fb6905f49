// Package procgroup runs a child command as the leader of a process group
// of its own, so that killing the group also ends whatever the command
// started (shells' background jobs, npx, workers). Where there are no
// process groups (not unix), Set does nothing and Kill kills the command
// alone.
package procgroup
