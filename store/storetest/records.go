package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/rkat-dev/rkat/store"
)

// withRecords runs fn on backends that implement store.Records.
func withRecords(fn func(t *testing.T, r store.Records)) func(t *testing.T, s store.Store) {
	return func(t *testing.T, s store.Store) {
		r, ok := s.(store.Records)
		if !ok {
			t.Skipf("%T does not implement store.Records (mobs are unavailable on it)", s)
		}
		fn(t, r)
	}
}

func testRecords(t *testing.T, s store.Records) {
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

func testLogs(t *testing.T, s store.Records) {
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
