package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// forEachKey calls fn for every key matching pattern, on every master of a cluster.
func forEachKey(ctx context.Context, rdb redis.UniversalClient, pattern string, fn func(string)) error {
	scan := func(ctx context.Context, c *redis.Client) error {
		it := c.Scan(ctx, 0, pattern, 200).Iterator()
		for it.Next(ctx) {
			fn(it.Val())
		}
		return it.Err()
	}
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		return c.ForEachMaster(ctx, scan)
	case *redis.Client:
		return scan(ctx, c)
	}
	it := rdb.Scan(ctx, 0, pattern, 200).Iterator()
	for it.Next(ctx) {
		fn(it.Val())
	}
	return it.Err()
}

// chatOf extracts the chat id from a key "<prefix>{chat:<id>}:…".
func chatOf(key, prefix string) (int64, bool) {
	rest, ok := strings.CutPrefix(key, prefix+"{chat:")
	if !ok {
		return 0, false
	}
	idStr, _, ok := strings.Cut(rest, "}")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(idStr, 10, 64)
	return id, err == nil
}
