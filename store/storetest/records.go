package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/rkat-dev/rkat/store"
)

func testRecords(t *testing.T, s store.Store) {
	ctx := context.Background()
	put := func(id, data string, expected uint64) (store.Record, error) {
		return s.PutRecord(ctx, store.Record{Kind: "mob", ID: id, Data: json.RawMessage(data)}, expected)
	}
	r, err := put("b", `{"v":1}`, 0)
	if err != nil || r.Revision != 1 || r.Created.IsZero() || !r.Updated.Equal(r.Created) {
		t.Fatalf("create: %+v %v", r, err)
	}
	if _, err := put("b", `{}`, 0); !errors.Is(err, store.ErrExists) {
		t.Fatalf("create twice: %v", err)
	}
	if _, err := put("a", `{"v":"a"}`, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutRecord(ctx, store.Record{Kind: "profile", ID: "b", Data: json.RawMessage(`1`)}, 0); err != nil {
		t.Fatalf("same id, other kind: %v", err)
	}
	r2, err := put("b", `{"v":2}`, 1)
	if err != nil || r2.Revision != 2 || !r2.Created.Equal(r.Created) {
		t.Fatalf("update: %+v %v", r2, err)
	}
	var ce *store.ConflictError
	if _, err := put("b", `{"v":3}`, 1); !errors.As(err, &ce) || ce.Expected != 1 || ce.Current != 2 {
		t.Fatalf("stale update: %v", err)
	}
	if _, err := put("zz", `{}`, 4); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update missing: %v", err)
	}
	for _, bad := range []store.Record{{Kind: "mob", Data: json.RawMessage(`{}`)}, {ID: "x", Data: json.RawMessage(`{}`)}, {Kind: "mob", ID: "x", Data: json.RawMessage(`{`)}} {
		if _, err := s.PutRecord(ctx, bad, 0); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("invalid %+v: %v", bad, err)
		}
	}
	got, err := s.Record(ctx, "mob", "b")
	if err != nil || string(got.Data) != `{"v":2}` || got.Revision != 2 {
		t.Fatalf("read: %+v %v", got, err)
	}
	if _, err := s.Record(ctx, "mob", "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("read missing: %v", err)
	}
	list, err := s.RecordsOf(ctx, "mob")
	if err != nil || len(list) != 2 || list[0].ID != "a" || list[1].ID != "b" {
		t.Fatalf("list: %+v %v", list, err)
	}
	if _, err := s.DeleteRecord(ctx, "mob", "b", 1); !errors.As(err, &ce) {
		t.Fatalf("stale delete: %v", err)
	}
	if rev, err := s.DeleteRecord(ctx, "mob", "b", 2); err != nil || rev != 2 {
		t.Fatalf("delete: %d %v", rev, err)
	}
	if rev, err := s.DeleteRecord(ctx, "mob", "a", 0); err != nil || rev != 1 {
		t.Fatalf("unconditional delete: %d %v", rev, err)
	}
	if _, err := s.DeleteRecord(ctx, "mob", "a", 0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete missing: %v", err)
	}
	if list, _ := s.RecordsOf(ctx, "mob"); len(list) != 0 {
		t.Fatalf("after delete: %+v", list)
	}
}

func testLogs(t *testing.T, s store.Store) {
	ctx := context.Background()
	if entries, water, err := s.Log(ctx, "mob/x", 0, 10); err != nil || len(entries) != 0 || water != 0 {
		t.Fatalf("empty log: %v %d %v", entries, water, err)
	}
	for i := 1; i <= 5; i++ {
		c, err := s.Append(ctx, "mob/x", json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)))
		if err != nil || c != uint64(i) {
			t.Fatalf("append %d: cursor %d %v", i, c, err)
		}
	}
	if c, err := s.Append(ctx, "mob/y", json.RawMessage(`{}`)); err != nil || c != 1 {
		t.Fatalf("other log: %d %v", c, err)
	}
	entries, water, err := s.Log(ctx, "mob/x", 1, 2)
	if err != nil || water != 5 || len(entries) != 2 || entries[0].Cursor != 2 || string(entries[1].Data) != `{"n":3}` {
		t.Fatalf("page: %+v %d %v", entries, water, err)
	}
	if entries, _, _ := s.Log(ctx, "mob/x", 0, 0); len(entries) != 5 {
		t.Fatalf("all: %d entries", len(entries))
	}
	if entries, water, err := s.Log(ctx, "mob/x", 5, 10); err != nil || len(entries) != 0 || water != 5 {
		t.Fatalf("at the watermark: %v %d %v", entries, water, err)
	}
	if _, err := s.Append(ctx, "", json.RawMessage(`{}`)); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("unnamed log: %v", err)
	}
	if _, err := s.Append(ctx, "l", json.RawMessage(`{`)); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("bad data: %v", err)
	}
}

// testConcurrentRecordWrites: of writers racing to create one record, or
// to replace it at one revision, exactly one wins; the others get ErrExists
// or a *ConflictError.
func testConcurrentRecordWrites(t *testing.T, s store.Store) {
	ctx := context.Background()
	const writers = 8
	race := func(expected uint64, lost func(error) bool) {
		t.Helper()
		errs := make(chan error, writers)
		for w := 0; w < writers; w++ {
			go func() {
				_, err := s.PutRecord(ctx, store.Record{Kind: "mob", ID: "m", Data: json.RawMessage(fmt.Sprintf(`{"w":%d}`, w))}, expected)
				errs <- err
			}()
		}
		won := 0
		for w := 0; w < writers; w++ {
			switch err := <-errs; {
			case err == nil:
				won++
			case !lost(err):
				t.Fatalf("PutRecord at %d: %v", expected, err)
			}
		}
		if won != 1 {
			t.Fatalf("PutRecord at %d: %d writers won, want 1", expected, won)
		}
	}
	race(0, func(err error) bool { return errors.Is(err, store.ErrExists) })
	var ce *store.ConflictError
	race(1, func(err error) bool { return errors.As(err, &ce) && ce.Expected == 1 && ce.Current == 2 })
	if r, err := s.Record(ctx, "mob", "m"); err != nil || r.Revision != 2 {
		t.Fatalf("after the races: %+v %v", r, err)
	}
}

// testConcurrentAppends: appends racing on one log get distinct cursors
// 1..n with no gaps, and the log holds each entry at its cursor.
func testConcurrentAppends(t *testing.T, s store.Store) {
	ctx := context.Background()
	const writers, each = 6, 15
	cursors := make(chan uint64, writers*each)
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				c, err := s.Append(ctx, "mob/c", json.RawMessage(fmt.Sprintf(`{"w":%d,"i":%d}`, w, i)))
				if err != nil {
					errs <- err
					return
				}
				cursors <- c
			}
		}()
	}
	wg.Wait()
	close(errs)
	close(cursors)
	for err := range errs {
		t.Fatalf("concurrent Append: %v", err)
	}
	data := map[uint64]bool{}
	for c := range cursors {
		if c < 1 || c > writers*each || data[c] {
			t.Fatalf("cursor %d duplicated or out of 1..%d", c, writers*each)
		}
		data[c] = true
	}
	entries, water, err := s.Log(ctx, "mob/c", 0, 0)
	if err != nil || water != writers*each || len(entries) != writers*each {
		t.Fatalf("Log: %d entries, watermark %d, %v", len(entries), water, err)
	}
	seen := map[string]bool{}
	for i, e := range entries {
		if e.Cursor != uint64(i+1) || seen[string(e.Data)] {
			t.Fatalf("entry %d: cursor %d, data %s (seen before: %v)", i, e.Cursor, e.Data, seen[string(e.Data)])
		}
		seen[string(e.Data)] = true
	}
}
