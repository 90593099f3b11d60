package api

import "time"

// EnrolRequest is a new (or re-imaged) kiosk's request for its client
// certificate: POST /v1/enrol, the one kiosk route that needs no
// credential, because the one-time code is the credential. The code was
// made for one kiosk id of one branch (on the supervisor's page or with
// "central kiosk enrol"); the kiosk learns both from the answer.
type EnrolRequest struct {
	// Code is the one-time enrolment code as the technician typed it;
	// separators and spaces are ignored.
	Code string `json:"code"`
	// HardwareID is what the kiosk's enrolment page shows (from the
	// board's DMI or its first network address), recorded beside the
	// certificate so the supervisor can tell which box holds which id.
	HardwareID string `json:"hardwareId"`
	// CSR is a PEM certificate request signed by the key the kiosk made
	// on the device. Its subject is ignored: the backend names the
	// certificate after the kiosk id the code was made for.
	CSR string `json:"csr"`
}

// Enrolment is the answer to an EnrolRequest: the kiosk's identity and
// the certificate binding it to the kiosk's own key.
type Enrolment struct {
	KioskID string `json:"kioskId"`
	Branch  string `json:"branch"`
	// Certificate is the kiosk's client certificate (PEM), common name =
	// KioskID, signed by the backend's kiosk CA.
	Certificate string `json:"certificate"`
	// CA is the kiosk CA's certificate (PEM), for the record: the kiosk
	// checks the backend's server certificate against its configured CA.
	CA       string    `json:"ca"`
	NotAfter time.Time `json:"notAfter"`
}

// UpdateState is what a kiosk says of its last software update in its
// heartbeat.
type UpdateState struct {
	// Slot is the root slot running now, "a" or "b".
	Slot string `json:"slot"`
	// Version is the release running now.
	Version string `json:"version"`
	// Failed names a release that was installed in the other slot and did
	// not boot to a ready kiosk within its tries, so the old slot runs
	// again; "" when no update failed.
	Failed string `json:"failed,omitempty"`
	// Pending names a release written to the other slot that will be
	// tried at the next boot; "" when none.
	Pending string `json:"pending,omitempty"`
}
