package schedule

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // time zones work on hosts without a zoneinfo database

	"github.com/adhocore/gronx"
)

// Trigger kinds. once, interval and calendar are the contract's; cron is an
// rkat extension (a 5-field expression in a time zone).
const (
	TriggerOnce     = "once"
	TriggerInterval = "interval"
	TriggerCalendar = "calendar"
	TriggerCron     = "cron"
)

// Trigger says when a schedule fires. Which fields apply depends on Type:
//   - once:     DueAt
//   - interval: StartAt, EverySeconds, optional EndAt
//   - calendar: Timezone and the field sets Minute .. DayOfWeek, optional Year
//   - cron:     Expression ("m h dom mon dow") and Timezone
type Trigger struct {
	Type         string     `json:"type"`
	DueAt        *time.Time `json:"due_at_utc,omitempty"`
	StartAt      *time.Time `json:"start_at_utc,omitempty"`
	EverySeconds uint64     `json:"every_seconds,omitempty"`
	EndAt        *time.Time `json:"end_at_utc,omitempty"`
	Timezone     string     `json:"timezone,omitempty"`
	Minute       *Field     `json:"minute,omitempty"`
	Hour         *Field     `json:"hour,omitempty"`
	DayOfMonth   *Field     `json:"day_of_month,omitempty"`
	Month        *Field     `json:"month,omitempty"`
	DayOfWeek    *Field     `json:"day_of_week,omitempty"`
	Year         *Field     `json:"year,omitempty"`
	Expression   string     `json:"expression,omitempty"`
}

// Field is one calendar field: {"kind":"any"} or {"kind":"values","values":[..]}.
type Field struct {
	Kind   string   `json:"kind"`
	Values []uint32 `json:"values,omitempty"`
}

func (f *Field) contains(v int) bool {
	return f == nil || f.Kind == "any" || slices.Contains(f.Values, uint32(v))
}

// maxEverySeconds keeps interval arithmetic far from overflow (about 292 years).
const maxEverySeconds = uint64(1<<63-1) / uint64(time.Second)

// ParseTrigger decodes and validates a trigger; a calendar or cron trigger
// must fire after now. Errors are *InvalidError naming the offending field
// ("trigger.every_seconds", ...).
func ParseTrigger(raw json.RawMessage, now time.Time) (Trigger, error) {
	var t Trigger
	if err := strictDecode(raw, "trigger", &t); err != nil {
		return t, err
	}
	return t, t.validate(now)
}

// jsonProblem describes a decoding error without Go type names.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Sprintf("%s has the wrong type (got %s)", te.Field, te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// validate checks the fields of t's kind and that no other kind's field is
// set, and that t fires (a calendar or cron trigger after now).
func (t *Trigger) validate(now time.Time) error {
	allowed := map[string][]string{
		TriggerOnce:     {"due_at_utc"},
		TriggerInterval: {"start_at_utc", "every_seconds", "end_at_utc"},
		TriggerCalendar: {"timezone", "minute", "hour", "day_of_month", "month", "day_of_week", "year"},
		TriggerCron:     {"expression", "timezone"},
	}
	kinds, ok := allowed[t.Type]
	if !ok {
		return invalid("trigger.type", "must be once, interval, calendar or cron (got %q)", t.Type)
	}
	for name, set := range map[string]bool{
		"due_at_utc": t.DueAt != nil, "start_at_utc": t.StartAt != nil, "every_seconds": t.EverySeconds != 0,
		"end_at_utc": t.EndAt != nil, "timezone": t.Timezone != "", "minute": t.Minute != nil, "hour": t.Hour != nil,
		"day_of_month": t.DayOfMonth != nil, "month": t.Month != nil, "day_of_week": t.DayOfWeek != nil,
		"year": t.Year != nil, "expression": t.Expression != "",
	} {
		if set && !slices.Contains(kinds, name) {
			return invalid("trigger."+name, "does not apply to a %s trigger", t.Type)
		}
	}
	// Calendar and cron triggers: the time zone is checked before the
	// fields, and loaded once.
	var loc *time.Location
	var err error
	switch t.Type {
	case TriggerOnce:
		if t.DueAt == nil {
			return invalid("trigger.due_at_utc", "is required")
		}
		t.DueAt = utcMillis(*t.DueAt)
	case TriggerInterval:
		if t.StartAt == nil {
			return invalid("trigger.start_at_utc", "is required")
		}
		if t.EverySeconds == 0 || t.EverySeconds > maxEverySeconds {
			return invalid("trigger.every_seconds", "must be between 1 and %d", maxEverySeconds)
		}
		t.StartAt = utcMillis(*t.StartAt)
		if t.EndAt != nil {
			t.EndAt = utcMillis(*t.EndAt)
			if t.EndAt.Before(*t.StartAt) {
				return invalid("trigger.end_at_utc", "is before start_at_utc")
			}
		}
	case TriggerCalendar:
		if loc, err = location(t.Timezone); err != nil {
			return err
		}
		for _, f := range []struct {
			name     string
			p        **Field
			min, max uint32
		}{
			{"minute", &t.Minute, 0, 59}, {"hour", &t.Hour, 0, 23}, {"day_of_month", &t.DayOfMonth, 1, 31},
			{"month", &t.Month, 1, 12}, {"day_of_week", &t.DayOfWeek, 0, 6}, {"year", &t.Year, 1970, 9999},
		} {
			if *f.p == nil {
				if f.name != "year" {
					*f.p = &Field{Kind: "any"}
				}
				continue
			}
			if err := (*f.p).normalize("trigger."+f.name, f.min, f.max); err != nil {
				return err
			}
		}
	case TriggerCron:
		if loc, err = location(t.Timezone); err != nil {
			return err
		}
		fields := strings.Fields(t.Expression)
		if len(fields) != 5 {
			return invalid("trigger.expression", "must have 5 fields: minute hour day_of_month month day_of_week")
		}
		t.Expression = strings.Join(fields, " ")
		if !gronx.IsValid(t.Expression) {
			return invalid("trigger.expression", "%q is not a valid cron expression", t.Expression)
		}
	}
	d, err := t.dueTimesIn(loc)
	if err != nil {
		return err
	}
	if _, ok := d.first(now); !ok && t.Type != TriggerOnce {
		return invalid("trigger", "never fires")
	}
	return nil
}

func (f *Field) normalize(name string, min, max uint32) error {
	switch f.Kind {
	case "any":
		if len(f.Values) > 0 {
			return invalid(name, "kind any takes no values")
		}
		return nil
	case "values":
		if len(f.Values) == 0 {
			return invalid(name, "needs at least one value")
		}
		for _, v := range f.Values {
			if v < min || v > max {
				return invalid(name, "value %d is outside %d..%d", v, min, max)
			}
		}
		slices.Sort(f.Values)
		f.Values = slices.Compact(f.Values)
		return nil
	}
	return invalid(name+".kind", "must be any or values (got %q)", f.Kind)
}

func location(tz string) (*time.Location, error) {
	if tz == "" {
		return nil, invalid("trigger.timezone", "is required (an IANA name such as Europe/Stockholm)")
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || strings.EqualFold(tz, "local") {
		return nil, invalid("trigger.timezone", "%q is not an IANA time zone", tz)
	}
	return loc, nil
}

func utcMillis(t time.Time) *time.Time {
	u := t.UTC().Truncate(time.Millisecond)
	return &u
}

// calendarSearchLimit bounds the search for a calendar or cron match (the
// contract's reference looks five years ahead).
const calendarSearchLimit = 5 * 366 * 24 * time.Hour

// dueTimes computes the due times of a trigger. Trigger.dueTimes loads the
// time zone and parses the cron expression once, for all the occurrences
// computed with it.
type dueTimes struct {
	t   *Trigger
	loc *time.Location // calendar and cron
	m   wallClock      // calendar and cron
}

// dueTimes returns the due times of t.
func (t *Trigger) dueTimes() (*dueTimes, error) {
	var loc *time.Location
	if t.Type == TriggerCalendar || t.Type == TriggerCron {
		var err error
		if loc, err = location(t.Timezone); err != nil {
			return nil, err
		}
	}
	return t.dueTimesIn(loc)
}

// dueTimesIn is dueTimes with t's time zone already loaded (nil for once
// and interval triggers).
func (t *Trigger) dueTimesIn(loc *time.Location) (*dueTimes, error) {
	d := &dueTimes{t: t, loc: loc}
	switch t.Type {
	case TriggerOnce, TriggerInterval:
	case TriggerCalendar:
		d.m = t
	case TriggerCron:
		segs, err := gronx.Segments(t.Expression)
		if err != nil {
			return nil, invalid("trigger.expression", "%v", err)
		}
		d.m = &cronClock{segs: segs}
	default:
		return nil, invalid("trigger.type", "unknown trigger type %q", t.Type)
	}
	return d, nil
}

// first returns the first due time ever: a calendar or cron trigger's
// first from the minute of now on. ok is false when there is none.
func (d *dueTimes) first(now time.Time) (time.Time, bool) {
	if d.m != nil {
		return d.next(now.Add(-time.Minute))
	}
	return d.next(time.Time{})
}

// next returns the first due time strictly after after (zero, for once and
// interval triggers: the first ever), at millisecond precision. ok is false
// when the trigger is exhausted.
func (d *dueTimes) next(after time.Time) (time.Time, bool) {
	t := d.t
	switch t.Type {
	case TriggerOnce:
		if after.IsZero() || t.DueAt.After(after) {
			return *t.DueAt, true
		}
		return time.Time{}, false
	case TriggerInterval:
		start, step := *t.StartAt, time.Duration(t.EverySeconds)*time.Second
		due := start
		if !after.IsZero() && !after.Before(start) {
			n := after.Sub(start)/step + 1
			if n > (1<<62)/step {
				return time.Time{}, false
			}
			due = start.Add(n * step)
		}
		if t.EndAt != nil && due.After(*t.EndAt) {
			return time.Time{}, false
		}
		return due, true
	}
	return d.nextWallClock(after)
}

// wallClock matches the wall-clock fields of a calendar or cron trigger.
type wallClock interface {
	year(l time.Time) bool
	month(l time.Time) bool
	day(l time.Time) bool
	hour(l time.Time) bool
	minute(l time.Time) bool
}

func (t *Trigger) year(l time.Time) bool   { return t.Year.contains(l.Year()) }
func (t *Trigger) month(l time.Time) bool  { return t.Month.contains(int(l.Month())) }
func (t *Trigger) hour(l time.Time) bool   { return t.Hour.contains(l.Hour()) }
func (t *Trigger) minute(l time.Time) bool { return t.Minute.contains(l.Minute()) }
func (t *Trigger) day(l time.Time) bool {
	return t.DayOfMonth.contains(l.Day()) && t.DayOfWeek.contains(int(l.Weekday()))
}

// cronClock checks a cron expression's fields with gronx, one field at a
// time, so the scan below can skip whole days and hours.
type cronClock struct {
	segs []string // gronx order: second minute hour day-of-month month day-of-week
	c    gronx.SegmentChecker
}

func (m *cronClock) check(l time.Time, pos int) bool {
	m.c.SetRef(l)
	ok, err := m.c.CheckDue(m.segs[pos], pos)
	return ok && err == nil
}

func (m *cronClock) year(time.Time) bool     { return true }
func (m *cronClock) month(l time.Time) bool  { return m.check(l, 4) }
func (m *cronClock) hour(l time.Time) bool   { return m.check(l, 2) }
func (m *cronClock) minute(l time.Time) bool { return m.check(l, 1) }
func (m *cronClock) day(l time.Time) bool {
	anyDOM, anyDOW := m.segs[3] == "*" || m.segs[3] == "?", m.segs[5] == "*" || m.segs[5] == "?"
	switch {
	case anyDOM && anyDOW:
		return true
	case anyDOM:
		return m.check(l, 5)
	case anyDOW:
		return m.check(l, 3)
	}
	return m.check(l, 3) || m.check(l, 5) // both restricted: either matches, as in cron
}

// nextWallClock finds the first UTC minute after after whose wall-clock
// time in the trigger's zone matches. A wall time skipped by a DST change
// never matches; one repeated by it matches in both instances.
func (d *dueTimes) nextWallClock(after time.Time) (time.Time, bool) {
	loc, m := d.loc, d.m
	cur := after.UTC().Truncate(time.Minute).Add(time.Minute)
	end := cur.Add(calendarSearchLimit)
	for cur.Before(end) {
		l := cur.In(loc)
		switch {
		case !m.year(l):
			cur = jump(cur, time.Date(l.Year()+1, 1, 1, 0, 0, 0, 0, loc))
		case !m.month(l):
			cur = jump(cur, time.Date(l.Year(), l.Month()+1, 1, 0, 0, 0, 0, loc))
		case !m.day(l):
			cur = jump(cur, time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc))
		case !m.hour(l):
			cur = cur.Add(time.Duration(60-l.Minute()) * time.Minute)
		case !m.minute(l):
			cur = cur.Add(time.Minute)
		default:
			return cur, true
		}
	}
	return time.Time{}, false
}

// jump moves the search to target (a local boundary), never backwards.
func jump(cur, target time.Time) time.Time {
	target = target.UTC().Truncate(time.Minute)
	if !target.After(cur) {
		return cur.Add(time.Minute)
	}
	return target
}
