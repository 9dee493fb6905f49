package session_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
)

// BenchmarkTurnHistory measures one committed turn (SQLite store, scripted
// provider) on a session that already holds 10, 100 or 1,000 rows and has
// run a turn before (so its history is cached, as in a live session). Each
// timed turn runs on a fresh copy of that session, so the history length
// is the same in every iteration.
func BenchmarkTurnHistory(b *testing.B) {
	for _, rows := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			st := sqliteStore(b)
			svc := benchService(b, st)
			ctx := context.Background()
			history := make([]store.Row, 0, rows)
			for i := range rows {
				r := store.Row{Role: store.RoleUser, Content: text(fmt.Sprintf("question %d about the project", i)), Created: time.Now()}
				if i%2 == 1 {
					r = store.Row{Role: store.RoleAssistant, Content: text(fmt.Sprintf("answer %d with some detail", i)),
						StopReason: llm.StopEndTurn, Created: time.Now()}
				}
				history = append(history, r)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				res, err := svc.Create(ctx, session.CreateRequest{Prompt: text("bench"), Deferred: true})
				if err == nil {
					_, err = st.Commit(ctx, store.Commit{SessionID: res.SessionID, Rows: history})
				}
				if err == nil {
					_, err = svc.Turn(ctx, session.TurnRequest{SessionID: res.SessionID, Prompt: text("warm up")})
				}
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := svc.Turn(ctx, session.TurnRequest{SessionID: res.SessionID, Prompt: text("hello there")}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
