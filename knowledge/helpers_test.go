package knowledge_test

import (
	"io/fs"
	"os"
	"testing"

	"github.com/petitionbot/petitionbot/knowledge"
)

// fixture returns a knowledge-base folder under testdata/.
func fixture(name string) fs.FS { return os.DirFS("testdata/" + name) }

// mustLoad loads a base or fails the test.
func mustLoad(tb testing.TB, fsys fs.FS) []knowledge.Entry {
	tb.Helper()
	entries, err := knowledge.Load(fsys)
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return entries
}

// mustIndex builds an index that is closed when the test ends.
func mustIndex(tb testing.TB, entries []knowledge.Entry) *knowledge.Index {
	tb.Helper()
	ix, err := knowledge.NewIndex(entries)
	if err != nil {
		tb.Fatalf("NewIndex: %v", err)
	}
	tb.Cleanup(func() { _ = ix.Close() })
	return ix
}
