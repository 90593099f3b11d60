package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestPickUsesIndex: call-next's picks read the queue index in order
// rather than sort the lane's waiting tickets (a sort in the writer's
// transaction held up every write, on PostgreSQL of both servers).
func TestPickUsesIndex(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	s, err := New(ctx, Options{Write: db, Dialect: Dialect{Name: "sqlite", Blob: "BLOB"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct{ name, svc, extra string }{
		{"lane", "", ""},
		{"service", " AND service = ?", ""},
		{"booked", "", " AND slot_at <= ?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []any{"B", "D", "ordinary"}
			if tc.svc != "" || tc.extra != "" {
				args = append(args, "x")
			}
			rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+pickQuery(tc.svc, tc.extra, ""), args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			all := strings.Join(plan, "; ")
			if strings.Contains(all, "TEMP B-TREE") || !strings.Contains(all, "tickets_next") {
				t.Errorf("plan %q: want the tickets_next index in order, no sort", all)
			}
		})
	}
}
