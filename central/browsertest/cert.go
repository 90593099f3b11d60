package browsertest

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http/httptest"

	"github.com/chromedp/chromedp"
)

// certOptions make the browser trust the one certificate every httptest
// TLS server presents, by its public key, and no other: the console's
// cookies are Secure, so the hall serves TLS as a branch's server does.
func certOptions() []chromedp.ExecAllocatorOption {
	ts := httptest.NewTLSServer(nil)
	spki := ts.Certificate().RawSubjectPublicKeyInfo
	ts.Close()
	sum := sha256.Sum256(spki)
	return []chromedp.ExecAllocatorOption{
		chromedp.Flag("ignore-certificate-errors-spki-list", base64.StdEncoding.EncodeToString(sum[:])),
	}
}
