package config

// enrolledIdentity leaves kiosk.id and kiosk.branch empty when the kiosk
// is enrolled (backend.enrol) and the file does not set them: the defaults
// name the demo's kiosk, and an enrolled kiosk takes its id and branch
// from its enrolment (kiosk/enrol.Apply) instead.
func enrolledIdentity(c *Config, lines map[string]int) {
	if !c.Backend.Enrol {
		return
	}
	if _, set := lines["kiosk.id"]; !set {
		c.Kiosk.ID = ""
	}
	if _, set := lines["kiosk.branch"]; !set {
		c.Kiosk.Branch = ""
	}
}
