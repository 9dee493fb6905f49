// Package schedule runs agent work on time: durable schedules (a trigger, a
// target and policies) and the occurrences planned from them, on the
// store.Schedules interface, delivered through the session service.
//
// A Service owns everything. Its CRUD methods (Create, Get, List, Update,
// Pause, Resume, Delete, Occurrences) validate at the edge (*InvalidError
// names the field; *RevisionError is a stale expected_revision; ErrNotFound
// an unknown id) and write the schedule together with its newly planned
// occurrences in one store transaction, compare-and-set on the row's
// version. Revisions follow the contract: 1 at create, +1 on every update
// and on delete (pending occurrences of older revisions become superseded),
// unchanged by pause and resume. The planner keeps each active schedule
// planned up to its horizons (planning_horizon_days ahead, at most
// planning_horizon_occurrences future ones pending) from a durable cursor; the store
// keeps one occurrence per (schedule, revision, ordinal), so two planners
// never plan the same firing twice. The same write deletes finished
// occurrences beyond the newest KeepTerminal, so history stays bounded.
//
// Start runs the executor: one goroutine owned by the Service that ticks
// (Config.Tick, at once after a mutation and whenever a delivery slot
// frees), plans at most PlanBatch schedules and claims at most the free
// delivery slots (MaxInFlight, the bound on concurrent deliveries). A claim is a lease fenced in the store:
// claims happen in one transaction, and every later write names the claim's
// owner and fence, so two processes on one realm never run one occurrence
// twice. Each delivery runs on its own goroutine (counted by the Service,
// at most MaxInFlight) with a renewal goroutine that extends the lease every
// Lease/3. A delivery carries the occurrence's delivery_correlation_id as
// the turn's (or external event's) idempotency key, committed atomically
// with the turn; after a crash the next executor takes the expired lease,
// finds the key (completed) or not (retried, within the misfire window).
// Late occurrences meet the misfire policy, running ones the overlap
// policy, absent sessions the missing-target policy. Close cancels the
// executor and waits for every goroutine; interrupted deliveries stay
// claimed until their lease expires.
//
// Triggers: once, interval and calendar as the contract has them, plus cron
// (an rkat extension: 5 fields and a time zone, evaluated by
// github.com/adhocore/gronx). Calendar and cron match wall-clock time in
// their zone: a time skipped by a DST change does not fire, a repeated one
// fires in each instance the trigger matches.
package schedule
