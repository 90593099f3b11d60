package config

import "time"

// Default returns settings that run the demo on a fresh machine with no
// file: no scanner port, tickets written as files under ./var, and the
// backend on the loopback address. Each call returns a new Config, so a
// caller may change it freely.
func Default() *Config {
	return &Config{
		Kiosk: Kiosk{
			ID:        "K-01",
			Branch:    "ALA-01", // an Almaty center
			Languages: []string{"kk", "ru", "en"},
			TimeZone:  "Asia/Almaty",
			StateDir:  "./var",
		},
		Scanner: Scanner{
			// 9600 8N1 is what MRZ scanners ship with.
			Baud:         9600,
			DataBits:     8,
			Parity:       "none",
			StopBits:     "1",
			DedupeWindow: Duration(3 * time.Second),
			ReopenMin:    Duration(250 * time.Millisecond),
			ReopenMax:    Duration(5 * time.Second),
			// MaxLine and FrameGap stay 0: the driver's own defaults.
		},
		Printer: Printer{
			Transport:     "file", // Path "" means <state_dir>/tickets
			Baud:          9600,
			Profile:       "generic-58", // 58 mm paper, 384 dots a line
			StatusTimeout: Duration(500 * time.Millisecond),
			JobTimeout:    Duration(15 * time.Second),
			PollInterval:  Duration(5 * time.Second),
			ReopenMin:     Duration(250 * time.Millisecond),
			ReopenMax:     Duration(5 * time.Second),
		},
		// The flow's owner keeps its defaults next to the fields: the
		// representative path off (in person only since the MIA rules
		// amended on 29 February 2024), the place-of-birth policy table
		// with its sources in placeofbirth.go.
		Flow: DefaultFlow(),
		Backend: Backend{
			URL:          "http://127.0.0.1:8080",
			Timeout:      Duration(10 * time.Second),
			SubmitWait:   Duration(4 * time.Second),
			SyncInterval: Duration(5 * time.Second),
			LendSize:     20,
		},
		// An empty PIN hash keeps technician mode off until a branch sets one.
		Technician: Technician{PINHash: ""},
	}
}
