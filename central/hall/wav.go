package hall

import (
	"encoding/binary"
	"errors"
	"math"
)

// The announcements are 16-bit mono PCM WAV at espeak-ng's rate, so the
// chime and the two voices join into one file the browser plays whole.
const sampleRate = 22050

var errWAV = errors.New("hall: not a 16-bit mono PCM WAV")

// pcmOf returns the sample rate and the samples of a 16-bit mono PCM WAV.
// espeak-ng --stdout streams, so its RIFF and data sizes are placeholders
// (0x7ffff000): the data runs to the end of what was written.
func pcmOf(b []byte) (rate int, pcm []byte, err error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return 0, nil, errWAV
	}
	ok := false
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:p+8]))
		p += 8
		switch id {
		case "fmt ":
			if size < 16 || p+16 > len(b) {
				return 0, nil, errWAV
			}
			f := b[p : p+16]
			if binary.LittleEndian.Uint16(f[0:2]) != 1 || binary.LittleEndian.Uint16(f[2:4]) != 1 || binary.LittleEndian.Uint16(f[14:16]) != 16 {
				return 0, nil, errWAV
			}
			rate, ok = int(binary.LittleEndian.Uint32(f[4:8])), true
		case "data":
			if !ok {
				return 0, nil, errWAV
			}
			end := len(b)
			if size >= 0 && p+size < end {
				end = p + size
			}
			return rate, b[p : end-(end-p)%2], nil
		}
		if size < 0 || p+size > len(b) {
			return 0, nil, errWAV
		}
		p += size + size%2
	}
	return 0, nil, errWAV
}

// wavFile joins PCM parts into one 16-bit mono WAV at rate.
func wavFile(rate int, parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	b := make([]byte, 44, 44+n)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], uint32(rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(rate*2))
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(n))
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// silence is d seconds of nothing at rate.
func silence(rate int, d float64) []byte { return make([]byte, 2*int(d*float64(rate))) }

// chime is the two-note bell ("ding-dong", G5 then E5) that comes before
// every announcement, so the hall looks up before the number is said.
func chime(rate int) []byte {
	var out []byte
	for _, note := range []struct{ hz, secs float64 }{{784, 0.45}, {659.25, 0.8}} {
		n := int(note.secs * float64(rate))
		for i := range n {
			t := float64(i) / float64(rate)
			// A soft attack, an exponential decay and a quiet octave make a
			// bell rather than a beep.
			env := math.Min(1, t/0.01) * math.Exp(-3.5*t)
			v := env * (0.8*math.Sin(2*math.Pi*note.hz*t) + 0.2*math.Sin(4*math.Pi*note.hz*t))
			out = binary.LittleEndian.AppendUint16(out, uint16(int16(v*0.5*math.MaxInt16)))
		}
	}
	return out
}
