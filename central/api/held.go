package api

import "time"

// HeldList is a branch's held offline tickets, in the order they were held:
// what GET /v1/branches/{branch}/held answers a supervisor.
type HeldList struct {
	Held []HeldTicket `json:"held"`
}

// HeldTicket is an offline ticket the backend could not place in a queue
// (StateHeld), with why and on what evidence, for a supervisor to decide.
// It carries no personal data: the application stays sealed.
type HeldTicket struct {
	ApplicationID string `json:"applicationId"`
	// Number is the number printed on the ticket.
	Number  string `json:"number"`
	KioskID string `json:"kioskId"`
	Service string `json:"service"`
	Lane    Lane   `json:"lane"`
	// Day is the branch day the ticket's numbers belong to, YYYY-MM-DD.
	Day string `json:"day"`
	// Reason is why it is held: "future" (printed later than it arrived),
	// "past-day" (printed on a day already over) or "before-contact"
	// (printed before the kiosk last reported an empty outbox).
	Reason string `json:"reason"`
	// ClaimedAt is the ticket's issuedAt as the kiosk sent it, by its
	// clock; Clock is the offset it sent with it, nil for none.
	ClaimedAt time.Time `json:"claimedAt"`
	Clock     *Clock    `json:"clock,omitempty"`
	// IssuedAt is the time of printing by the server's clock: ClaimedAt
	// moved by the offset.
	IssuedAt time.Time `json:"issuedAt"`
	// HeldAt is when the server held it, by its clock.
	HeldAt time.Time `json:"heldAt"`
}
