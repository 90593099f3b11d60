// Command loadgen simulates many kiosks submitting to a central backend at
// once through the real uplink client, and prints throughput and latency.
//
// Usage:
//
//	central serve --addr 127.0.0.1:8080 --kiosks 200 &
//	loadgen --url http://127.0.0.1:8080 --kiosks 200 --total 13000 [--rate 1000] [--duration 60s] [--tokens ./var/tokens]
//
// Each kiosk sends its own token, read from the folder where the demo
// backend keeps them (kiosk-K-01, kiosk-K-02, …).
//
// It refuses any address but loopback, and stops at --total submissions or
// after --duration, whichever comes first.
package main
