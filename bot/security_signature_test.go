package bot_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
)

// RFC 8032, section 7.1, TEST 1: an empty message.
const (
	rfcSecret    = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	rfcPublic    = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
	rfcSignature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)

func rfcKeys(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, err := discord.ParsePublicKey(rfcPublic)
	if err != nil {
		t.Fatal(err)
	}
	seed, err := hex.DecodeString(rfcSecret)
	if err != nil {
		t.Fatal(err)
	}
	key := ed25519.NewKeyFromSeed(seed)
	if !bytes.Equal(key.Public().(ed25519.PublicKey), pub) {
		t.Fatal("RFC 8032 test 1: the secret does not give the public key")
	}
	return pub, key
}

func TestVerifySignature_RFC8032Test1(t *testing.T) {
	t.Parallel()
	pub, key := rfcKeys(t)
	if got := hex.EncodeToString(ed25519.Sign(key, nil)); got != rfcSignature {
		t.Fatalf("signing the empty message gives %s, want the RFC's %s", got, rfcSignature)
	}
	if !discord.VerifySignature(pub, rfcSignature, "", nil) {
		t.Fatal("the RFC 8032 test 1 signature of the empty message does not verify")
	}
	if !discord.VerifySignature(pub, rfcSignature, "", []byte{}) {
		t.Fatal("the RFC 8032 test 1 signature does not verify with an empty body")
	}
}

// flip returns s with one bit of byte i changed (hex digits stay hex).
func flipHex(s string, i int) string {
	b := []byte(s)
	if b[i] == '0' {
		b[i] = '1'
	} else {
		b[i] = '0'
	}
	return string(b)
}

// mixedCase upper-cases the first hex letter of s.
func mixedCase(s string) string {
	i := strings.IndexAny(s, "abcdef")
	return s[:i] + strings.ToUpper(s[i:i+1]) + s[i+1:]
}

func TestVerifySignature_RefusesTampering(t *testing.T) {
	t.Parallel()
	pub, key := rfcKeys(t)
	body := []byte(`{"type":2,"guild_id":"1","data":{"name":"topics"}}`)
	ts := "1756728000"
	sig := hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...)))
	if !discord.VerifySignature(pub, sig, ts, body) {
		t.Fatal("a good signature does not verify")
	}
	flipped := bytes.Clone(body)
	flipped[10] ^= 0x01
	_, otherKey, _ := ed25519.GenerateKey(nil)
	tests := []struct {
		name    string
		sig, ts string
		body    []byte
	}{
		{"BitFlippedInBody", sig, ts, flipped},
		{"BitFlippedInSignatureStart", flipHex(sig, 0), ts, body},
		{"BitFlippedInSignatureEnd", flipHex(sig, len(sig)-1), ts, body},
		{"BitFlippedInTimestamp", sig, "1756728001", body},
		{"TruncatedSignature", sig[:len(sig)-2], ts, body},
		{"SignatureOneDigitShort", sig[:len(sig)-1], ts, body},
		{"SignatureTooLong", sig + "00", ts, body},
		{"EmptySignature", "", ts, body},
		{"UppercaseHex", strings.ToUpper(sig), ts, body},
		{"MixedCaseHex", mixedCase(sig), ts, body},
		{"LeadingSpace", " " + sig, ts, body},
		{"TrailingNewline", sig + "\n", ts, body},
		{"SpaceInTimestamp", sig, ts + " ", body},
		{"TrailingWhitespaceInBody", sig, ts, append(bytes.Clone(body), ' ')},
		{"NotHex", strings.Repeat("zz", 64), ts, body},
		{"AllZeros", strings.Repeat("0", 128), ts, body},
		{"OtherKeysSignature", hex.EncodeToString(ed25519.Sign(otherKey, append([]byte(ts), body...))), ts, body},
		{"ReplayWithAnotherBody", sig, ts, []byte(`{"type":2,"guild_id":"1","data":{"name":"settings"}}`)},
		{"RFCVectorWithABody", rfcSignature, "", body},
		{"RFCVectorWithATimestamp", rfcSignature, ts, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if discord.VerifySignature(pub, tt.sig, tt.ts, tt.body) {
				t.Fatalf("accepted signature %q over %q + %q", tt.sig, tt.ts, tt.body)
			}
		})
	}
	for _, bad := range []ed25519.PublicKey{nil, pub[:31], append(bytes.Clone(pub), 0)} {
		if discord.VerifySignature(bad, sig, ts, body) {
			t.Errorf("accepted a signature under a %d-byte public key", len(bad))
		}
	}
}

// TestHTTP_RefusesTamperedRequests posts tampered requests to the real
// interactions endpoint keyed with the RFC 8032 test key: every one is
// refused with 401 and never reaches the router.
func TestHTTP_RefusesTamperedRequests(t *testing.T) {
	t.Parallel()
	pub, key := rfcKeys(t)
	b := startHTTP(t, &discord.HTTPServer{Router: newRouter(t)})
	b.srv.PublicKey = pub
	b.key = key
	body := interactionBody(t, discordtest.Command("topics"))
	ts := now(0)
	sig := sign(key, ts, body)
	if status, out := b.post(t, body, sig, ts); status != 200 || !strings.Contains(string(out), "Alaska") {
		t.Fatalf("a good request got %d: %s", status, out)
	}
	flipped := bytes.Clone(body)
	flipped[len(flipped)/2] ^= 0x01
	other := interactionBody(t, discordtest.Command("help"))
	old, ahead := now(-6*time.Minute), now(6*time.Minute)
	tests := []struct {
		name    string
		body    []byte
		sig, ts string
	}{
		{"BitFlippedInBody", flipped, sig, ts},
		{"BitFlippedInSignature", body, flipHex(sig, 7), ts},
		{"BitFlippedInTimestamp", body, sig, flipHex(ts, len(ts)-1)},
		{"TruncatedSignature", body, sig[:64], ts},
		{"WrongLength", body, sig + "ab", ts},
		{"UppercaseHex", body, strings.ToUpper(sig), ts},
		// HTTP drops whitespace around header values, so whitespace can
		// only matter inside them.
		{"WhitespaceInsideSignature", body, sig[:64] + " " + sig[65:], ts},
		{"WhitespaceInsideTimestamp", body, sig, ts[:5] + " " + ts[5:]},
		{"SixMinutesAgo", body, sign(key, old, body), old},
		{"SixMinutesAhead", body, sign(key, ahead, body), ahead},
		{"NonNumericTimestamp", body, sign(key, "yesterday", body), "yesterday"},
		{"FractionalTimestamp", body, sign(key, ts+".5", body), ts + ".5"},
		{"ReplayWithAnotherBody", other, sig, ts},
		{"RFCVectorAsIs", []byte{}, rfcSignature, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := b.post(t, tt.body, tt.sig, tt.ts)
			if status != 401 {
				t.Fatalf("status %d, want 401: %s", status, out)
			}
		})
	}
	if got := scrape(t, b.srv.Metrics); strings.Contains(got, `command="help"`) {
		t.Errorf("a refused request reached the router:\n%s", got)
	}
	// The RFC vector's timestamp is empty; signed with a fresh one it is an
	// ordinary request again.
	fresh := strconv.FormatInt(time.Now().Unix(), 10)
	if status, _ := b.post(t, body, sign(key, fresh, body), fresh); status != 200 {
		t.Fatalf("a fresh, good request got %d", status)
	}
}
