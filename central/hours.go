package central

import (
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/flows/workday"
)

// setHours readies the branch's opening hours, when it has any, with the
// Kazakh working-day calendar. The registry's Validate has checked them.
func (b *branchInfo) setHours(cal *workday.Calendar) error {
	if b.Hours == nil {
		return nil
	}
	s, err := b.Hours.Schedule()
	if err != nil {
		return fmt.Errorf("central: branch %q: %w", b.ID, err)
	}
	b.hours, b.cal = s, cal
	return nil
}

// queueDay is the day whose queue an application submitted at now joins,
// as the branch's zone writes it: with opening hours, the day it counts
// for (after closing, or on a day the branch is closed, the next day it
// opens, so the clerks call it then rather than never); without, the
// calendar day.
func (b *branchInfo) queueDay(now time.Time) string {
	t := now.In(b.loc)
	if b.cal == nil {
		return t.Format(time.DateOnly)
	}
	return b.cal.CountsFor(t, b.hours).String()
}
