package store

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
)

// codec turns every stored record into its stored form and back: sessions, cases,
// deliveries, audit entries, questions, unanswered questions, flags. key is the record's
// Redis key (with "#field" when several records share one key). With a keyring, a record
// is JSON encrypted with AES-256-GCM under the current data key, the key name bound as
// associated data: a value copied to another record does not decrypt. The name is bound
// without the configured prefix, so that an installation may rename its prefix.
//
// Stored forms, told apart by their first byte:
//
//	j<JSON>                       plain (no DATA_KEY: the console demo; or written before
//	                              encryption: read, and re-encrypted by rekey)
//	e<key id><base64 nonce+ct>    encrypted; the key id (8 hex) names the data key
//	z<key id><nonce+ct>           compact, for records that never travel inside JSON
//	                              (sessions): the JSON deflated, then encrypted, raw bytes
type codec struct {
	ring   *Keyring // nil: plain JSON
	prefix string
}

const (
	tagJSON    = "j"
	tagSealed  = "e"
	tagCompact = "z"
)

// aad is what an encrypted value is bound to.
func (c codec) aad(key string) string {
	return "petitionbot/v1 " + strings.TrimPrefix(key, c.prefix)
}

func (c codec) encode(key string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode %s: %w", c.name(key), err)
	}
	if c.ring == nil {
		return tagJSON + string(b), nil
	}
	return c.ring.seal(c.aad(key), b), nil
}

// sealCompact is the compact stored form of a record's JSON b (plain JSON without a
// keyring): a draft is kept in every chat, and the compact form is half the size.
func (c codec) sealCompact(key string, b []byte) string {
	if c.ring == nil {
		return tagJSON + string(b)
	}
	return c.ring.sealCompact(c.aad(key), deflate(b))
}

func (c codec) decode(key, stored string, v any) error {
	b, err := c.plain(key, stored)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", c.name(key), err)
	}
	return nil
}

// plain returns the JSON a stored value holds.
func (c codec) plain(key, stored string) ([]byte, error) {
	switch {
	case strings.HasPrefix(stored, tagJSON):
		return []byte(stored[1:]), nil
	case strings.HasPrefix(stored, tagSealed), strings.HasPrefix(stored, tagCompact):
		if c.ring == nil {
			return nil, fmt.Errorf("decode %s: encrypted, and no DATA_KEY is set", c.name(key))
		}
		b, err := c.ring.open(c.aad(key), stored)
		if err == nil && stored[:1] == tagCompact {
			b, err = inflate(b)
		}
		if err != nil {
			return nil, fmt.Errorf("decode %s: %w", c.name(key), err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("decode %s: unknown format", c.name(key))
}

// reencode returns stored in the current form, the JSON inside unchanged byte for byte,
// and whether that differs from stored.
func (c codec) reencode(key, stored string) (string, bool, error) {
	if c.current(stored) {
		return stored, false, nil
	}
	b, err := c.plain(key, stored)
	if err != nil {
		return "", false, err
	}
	switch {
	case c.ring == nil:
		return tagJSON + string(b), true, nil
	case stored[:1] == tagCompact:
		return c.ring.sealCompact(c.aad(key), deflate(b)), true, nil
	}
	return c.ring.seal(c.aad(key), b), true, nil
}

// current reports whether stored is in the form new writes take: encrypted under the
// current key (or plain JSON without a keyring).
func (c codec) current(stored string) bool {
	if c.ring == nil {
		return strings.HasPrefix(stored, tagJSON)
	}
	return c.ring.current(stored)
}

// name is a key as errors show it: without the prefix (ids and case numbers only, never
// personal data).
func (c codec) name(key string) string { return strings.TrimPrefix(key, c.prefix) }

// Compressors and decompressors are reused. A compressor holds some 650 KB of state
// whatever its level, so there are at most as many as the CPUs that can run one: a
// commit waits the few microseconds another takes rather than making another.
var (
	deflaters = newDeflaters(runtime.GOMAXPROCS(0))
	inflaters = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}
)

// deflaterPool hands out at most cap(free) compressors, made when first needed.
type deflaterPool struct {
	free chan *flate.Writer
	mu   sync.Mutex
	made int
}

func newDeflaters(n int) *deflaterPool {
	return &deflaterPool{free: make(chan *flate.Writer, max(n, 1))}
}

func (p *deflaterPool) get() *flate.Writer {
	select {
	case w := <-p.free:
		return w
	default:
	}
	p.mu.Lock()
	if p.made < cap(p.free) {
		p.made++
		p.mu.Unlock()
		w, _ := flate.NewWriter(nil, flate.BestSpeed)
		return w
	}
	p.mu.Unlock()
	return <-p.free
}

func (p *deflaterPool) put(w *flate.Writer) { p.free <- w }

// deflate compresses a record's JSON (BestSpeed: records are small and written often).
func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w := deflaters.get()
	w.Reset(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	deflaters.put(w)
	return buf.Bytes()
}

func inflate(b []byte) ([]byte, error) {
	r := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(b), nil); err != nil {
		return nil, errors.New("damaged compressed value")
	}
	out, err := io.ReadAll(io.LimitReader(r, 1<<24))
	if err != nil {
		return nil, errors.New("damaged compressed value")
	}
	return out, nil
}
