package service

import (
	"sync"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
)

// callerTTL is how long Authenticate keeps who a session or API token is.
//
// Every request used to read its caller from the database: one round trip
// and the statement's CPU, about a twelfth of a posted receipt's time at one
// client (docs/PERFORMANCE.md, eighteenth round). What this process changes
// — a sign-out, a password, a user, a role, a token revoked, a company —
// empties the cache at once (store.DB.AuthEpoch); what another jxc process
// on the same PostgreSQL changes is seen within callerTTL (DECISIONS.md).
const callerTTL = time.Second

// callerCacheMax bounds the entries kept; past it the stale ones go, and if
// that is not enough, all.
const callerCacheMax = 4096

type callerKey struct {
	hash    string // the session's or token's hash
	bearer  bool
	company int64 // the company asked for (0: the session's or token's own)
}

type callerEntry struct {
	p     domain.Principal
	epoch int64
	read  time.Time // when it was read, by this process's clock
	until time.Time // when the session or token ends by the database's clock (zero: never)
}

type callerCache struct {
	mu sync.Mutex
	m  map[callerKey]callerEntry
}

// get returns a copy of the principal kept for k if it was read less than
// callerTTL ago, at epoch, and its session or token has not ended by now.
func (c *callerCache) get(k callerKey, epoch int64, now time.Time) (*domain.Principal, bool) {
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if !ok || e.epoch != epoch || time.Since(e.read) >= callerTTL || (!e.until.IsZero() && !now.Before(e.until)) {
		return nil, false
	}
	p := e.p // the maps inside are never written after Authenticate
	return &p, true
}

func (c *callerCache) put(k callerKey, e callerEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[callerKey]callerEntry{}
	}
	if len(c.m) >= callerCacheMax {
		for k, old := range c.m {
			if time.Since(old.read) >= callerTTL {
				delete(c.m, k)
			}
		}
		if len(c.m) >= callerCacheMax {
			clear(c.m)
		}
	}
	c.m[k] = e
}
