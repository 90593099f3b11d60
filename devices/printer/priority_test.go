package printer_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestPriorityTicketGolden pins a priority-lane ticket: the lane is said
// in bold under the number, in each block's language, on 58 mm and 80 mm
// paper. Under -update it writes the PNGs to look at.
func TestPriorityTicketGolden(t *testing.T) {
	tk := sampleTicket("kk", "ru")
	tk.Number = "AP007"
	tk.Blocks[0].Priority = "Басым кезек (65 жастан бастап): сізді ертерек шақырады"
	tk.Blocks[1].Priority = "Приоритетная очередь (с 65 лет): вас вызовут раньше"
	for _, name := range []string{"generic-58", "generic"} {
		t.Run(name, func(t *testing.T) {
			l := layout(t, name)
			job, err := l.Ticket(tk)
			if err != nil {
				t.Fatalf("Ticket() error = %v", err)
			}
			res := decode(t, l, job)
			text := strings.Join(strings.Fields(res.String()), " ")
			for _, want := range []string{"Басым кезек", "Приоритетная очередь"} {
				if !strings.Contains(text, want) {
					t.Errorf("printed text lacks %q:\n%s", want, res.String())
				}
			}
			base := name + "-priority"
			golden(t, filepath.Join("tickets", base+".bin"), job)
			golden(t, filepath.Join("tickets", base+".txt"), []byte(res.String()))
			if *update {
				var buf bytes.Buffer
				if err := res.WritePNG(&buf); err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join("png", base+".png"), buf.Bytes())
			}
		})
	}
}
