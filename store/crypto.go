package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the size of a data key: AES-256.
const KeySize = 32

// Keyring holds the data keys (DATA_KEY, then DATA_KEY_PREVIOUS): the first encrypts every
// record written, all of them decrypt, and keyed hashes are computed under each so that
// lookups still find entries written before a rotation. Each key is used only through
// keys derived from it with HKDF-SHA256 (one for AES-256-GCM, one for HMAC-SHA256, one
// naming it), so the same secret never serves two purposes.
type Keyring struct {
	keys []dataKey
}

type dataKey struct {
	id   string // 8 hex characters naming the key in every value it encrypted
	aead cipher.AEAD
	mac  []byte
}

// ParseKey decodes a base64 data key (standard or URL alphabet, padded or not) and checks
// that it is KeySize bytes. The error never contains the key.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != KeySize {
				return nil, fmt.Errorf("it decodes to %d bytes, not %d", len(b), KeySize)
			}
			return b, nil
		}
	}
	return nil, errors.New("it is not base64")
}

// NewKeyring returns a keyring that encrypts with current and also decrypts with each of
// previous. Every key must be KeySize bytes.
func NewKeyring(current []byte, previous ...[]byte) (*Keyring, error) {
	r := &Keyring{}
	for i, raw := range append([][]byte{current}, previous...) {
		if len(raw) != KeySize {
			return nil, fmt.Errorf("data key %d has %d bytes, want %d", i+1, len(raw), KeySize)
		}
		k, err := deriveKey(raw)
		if err != nil {
			return nil, err
		}
		for _, o := range r.keys {
			if o.id == k.id {
				return nil, errors.New("the same data key is given twice")
			}
		}
		r.keys = append(r.keys, k)
	}
	return r, nil
}

func deriveKey(raw []byte) (dataKey, error) {
	derive := func(info string, n int) []byte {
		b, err := hkdf.Key(sha256.New, raw, nil, "petitionbot/v1 "+info, n)
		if err != nil {
			panic(err) // only for lengths HKDF-SHA256 cannot produce
		}
		return b
	}
	block, err := aes.NewCipher(derive("aes-256-gcm", 32))
	if err != nil {
		return dataKey{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return dataKey{}, err
	}
	return dataKey{id: hex.EncodeToString(derive("key id", 4)), aead: aead, mac: derive("hmac-sha256", 32)}, nil
}

// ID names the current key as it appears in encrypted values.
func (r *Keyring) ID() string { return r.keys[0].id }

// seal encrypts plain under the current key, bound to aad: "e", the key id, then the
// nonce and ciphertext in unpadded base64 (the commit script carries values in JSON,
// which only holds text).
func (r *Keyring) seal(aad string, plain []byte) string {
	k := r.keys[0]
	nonce := make([]byte, k.aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := k.aead.Seal(nonce, nonce, plain, []byte(aad))
	return tagSealed + k.id + base64.RawStdEncoding.EncodeToString(out)
}

// sealCompact is seal with the nonce and ciphertext as raw bytes, tagged "z", for values
// that never travel inside JSON.
func (r *Keyring) sealCompact(aad string, plain []byte) string {
	k := r.keys[0]
	nonce := make([]byte, k.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return tagCompact + k.id + string(k.aead.Seal(nonce, nonce, plain, []byte(aad)))
}

// errUnknownKey reports a value encrypted under a key the keyring does not hold.
var errUnknownKey = errors.New("encrypted under a key that is neither DATA_KEY nor DATA_KEY_PREVIOUS")

// open decrypts a value made by seal under any key of the ring, checking aad.
func (r *Keyring) open(aad, stored string) ([]byte, error) {
	if len(stored) < 1+8 || (stored[:1] != tagSealed && stored[:1] != tagCompact) {
		return nil, errors.New("not an encrypted value")
	}
	id := stored[1:9]
	for _, k := range r.keys {
		if k.id != id {
			continue
		}
		raw, err := []byte(stored[9:]), error(nil)
		if stored[:1] == tagSealed {
			raw, err = base64.RawStdEncoding.DecodeString(stored[9:])
		}
		if err != nil || len(raw) < k.aead.NonceSize() {
			return nil, errors.New("damaged encrypted value")
		}
		n := k.aead.NonceSize()
		plain, err := k.aead.Open(nil, raw[:n], raw[n:], []byte(aad))
		if err != nil {
			return nil, errors.New("the value does not belong to this record, or was changed")
		}
		return plain, nil
	}
	return nil, errUnknownKey
}

// current reports whether stored was encrypted under the current key.
func (r *Keyring) current(stored string) bool {
	return len(stored) >= 9 && (stored[:1] == tagSealed || stored[:1] == tagCompact) && stored[1:9] == r.keys[0].id
}

// hashes returns the keyed hash of value in domain under every key, the current key's
// first: 32 hex characters (128 bits of HMAC-SHA256). A nil keyring (the console demo
// without DATA_KEY) hashes under a fixed public key: equality lookups still work, but the
// hashes protect nothing.
func (r *Keyring) hashes(domain, value string) []string {
	if r == nil {
		return []string{mac(demoMAC, domain, value)}
	}
	out := make([]string, len(r.keys))
	for i, k := range r.keys {
		out[i] = mac(k.mac, domain, value)
	}
	return out
}

// hash is the current key's keyed hash of value in domain.
func (r *Keyring) hash(domain, value string) string { return r.hashes(domain, value)[0] }

var demoMAC = []byte("petitionbot demo: no DATA_KEY")

func mac(key []byte, domain, value string) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(domain))
	h.Write([]byte{0})
	h.Write([]byte(value))
	return hex.EncodeToString(h.Sum(nil)[:16])
}
