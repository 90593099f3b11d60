package central

import (
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/workday"
)

// hours returns the branch's opening hours as the kiosk reads its
// [flow.hours]: an ordinary centre's (config.OrdinaryHours) for a branch
// without hours, and for each day an entry does not give. A kiosk left at
// its defaults and a branch left at its own thus agree on the day a ticket
// counts for, which is what the visitor is told.
func (b Branch) hours() config.Hours {
	if b.Hours == nil {
		return config.OrdinaryHours()
	}
	return b.Hours.Or(config.OrdinaryHours())
}

// setHours readies the branch's opening hours with the Kazakh working-day
// calendar. The registry's Validate has checked them.
func (b *branchInfo) setHours(cal *workday.Calendar) error {
	s, err := b.Branch.hours().Schedule()
	if err != nil {
		return fmt.Errorf("central: branch %q: %w", b.ID, err)
	}
	b.hours, b.cal = s, cal
	return nil
}

// queueDay is the day whose queue an application submitted at now joins,
// as the branch's zone writes it: the day it counts for by the branch's
// hours (after closing, or on a day the branch is closed, the next day it
// opens, so the clerks call it then rather than never).
func (b *branchInfo) queueDay(now time.Time) string {
	return b.cal.CountsFor(now.In(b.loc), b.hours).String()
}
