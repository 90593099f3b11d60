// Command loadgen simulates many kiosks submitting to a central backend at
// once through the real uplink client, and prints throughput and latency.
//
// Usage:
//
//	central serve --addr 127.0.0.1:8080 --kiosks 200 &
//	loadgen --url http://127.0.0.1:8080 --kiosks 200 --total 13000 [--rate 1000] [--duration 60s]
//
// It refuses any address but loopback, and stops at --total submissions or
// after --duration, whichever comes first.
package main
