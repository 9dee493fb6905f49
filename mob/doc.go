// Package mob holds teams of agent sessions ("mobs"): their definitions,
// lifecycle (Creating, Running, Stopped, Completed, Destroyed), members
// with identity, role (profile), runtime mode, labels and status, realm
// mob profiles with revisions, and each mob's event log read with a cursor.
//
// Structure: a Service keeps no state of its own in memory; every mob is a
// store.Records record (kind "mob") rewritten with its revision under the
// Service's lock, realm profiles are records of kind "mob_profile", and a
// mob's events are the append-only log "mob/<mob_id>". So a restarted
// process lists the same mobs, members and events. A member is a session
// of the realm's session.Service, labelled with its mob and identity; the
// RPC layer joins it to the hub channel "mob/<mob_id>" (package comms) so
// members, and people with the JS SDK, talk there. The Service starts no
// goroutines: a member's first turn (initial_message) is run by the
// caller's Run callback.
package mob
