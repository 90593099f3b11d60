// Command imagetool is the build host's side of the kiosk image: it makes
// release keys and signs what scripts/image/build-image.sh produced. The
// kiosk side (checking, flashing, updating) is in the kiosk binary.
//
// Usage:
//
//	imagetool keygen PRIVATE PUBLIC     make an ed25519 key pair (private 0600)
//	imagetool sign --key PRIVATE DIR FILE...
//	                                    write DIR/SHA256SUMS for FILEs and sign it
//	imagetool verify --pub PUBLIC DIR [FILE...]
//	                                    check DIR's signature and hashes
//	imagetool bundle --key PRIVATE --release FILE --root R --kernel K --initrd I OUT
//	                                    make a signed update bundle
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/hcsc-kz/kiosk/kiosk/release"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand: its summary for the usage text, and its body.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() map[string]command {
	return map[string]command{
		"keygen": {"keygen PRIVATE PUBLIC: make an ed25519 release key pair", cmdKeygen},
		"sign":   {"sign --key PRIVATE DIR FILE...: write and sign DIR/SHA256SUMS", cmdSign},
		"verify": {"verify --pub PUBLIC DIR [FILE...]: check DIR/SHA256SUMS and its signature", cmdVerify},
		"bundle": {"bundle --key PRIVATE --release FILE --root R --kernel K --initrd I OUT: make a signed update bundle", cmdBundle},
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: imagetool COMMAND [flags]")
		for _, n := range []string{"keygen", "sign", "verify", "bundle"} {
			fmt.Fprintf(stderr, "  %s\n", cmds[n].summary)
		}
		return 2
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "imagetool: unknown command %q\n", args[0])
		return 2
	}
	return c.run(args[1:], stdout, stderr)
}

func cmdKeygen(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "usage: imagetool keygen PRIVATE PUBLIC")
		return 2
	}
	if _, err := release.NewKey(args[0], args[1]); err != nil {
		fmt.Fprintln(stderr, "imagetool:", err)
		return 1
	}
	fmt.Fprintf(stdout, "private key %s (0600), public key %s\n", args[0], args[1])
	return 0
}

func cmdSign(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	key := fs.String("key", "", "the private release key (PEM PKCS #8 ed25519)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *key == "" || fs.NArg() < 2 {
		fmt.Fprintln(stderr, "usage: imagetool sign --key PRIVATE DIR FILE...")
		return 2
	}
	sk, err := release.ReadPrivateKey(*key)
	if err != nil {
		fmt.Fprintln(stderr, "imagetool:", err)
		return 1
	}
	if err := release.SignDir(sk, fs.Arg(0), fs.Args()[1:]); err != nil {
		fmt.Fprintln(stderr, "imagetool:", err)
		return 1
	}
	fmt.Fprintf(stdout, "signed %s/%s (%d files)\n", fs.Arg(0), release.SumsFile, fs.NArg()-1)
	return 0
}

func cmdVerify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pub := fs.String("pub", "", "the public release key (PEM PKIX ed25519)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *pub == "" || fs.NArg() < 1 {
		fmt.Fprintln(stderr, "usage: imagetool verify --pub PUBLIC DIR [FILE...]")
		return 2
	}
	pk, err := release.ReadPublicKey(*pub)
	if err != nil {
		fmt.Fprintln(stderr, "imagetool:", err)
		return 1
	}
	if err := release.VerifyDir(pk, fs.Arg(0), fs.Args()[1:]...); err != nil {
		fmt.Fprintln(stderr, "imagetool:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: signature and hashes good\n", fs.Arg(0))
	return 0
}
