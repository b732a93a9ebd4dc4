package store

import (
	"encoding/json"
	"fmt"
)

// codec turns every stored record into its stored form and back: sessions, cases,
// deliveries, audit entries, questions. key is the record's Redis key (with its field,
// when several records share one), so that a future encryption can bind a value to its
// place and refuse one moved elsewhere. Today it writes JSON behind a one-byte format tag.
type codec struct{}

const tagJSON = "j"

func (codec) encode(key string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode %s: %w", key, err)
	}
	return tagJSON + string(b), nil
}

func (codec) decode(key, stored string, v any) error {
	if len(stored) == 0 || stored[:1] != tagJSON {
		return fmt.Errorf("decode %s: unknown format", key)
	}
	if err := json.Unmarshal([]byte(stored[1:]), v); err != nil {
		return fmt.Errorf("decode %s: %w", key, err)
	}
	return nil
}
