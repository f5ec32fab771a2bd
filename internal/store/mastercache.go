package store

import (
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
)

// The master data every document reads before its transaction — its
// company, its partner, the places of its warehouse, its items with their
// units — is kept for a second after a read-only transaction (View,
// ViewAhead) read it, and served from memory to the next View that asks
// within that second (docs/DECISIONS.md, "Master data read before a
// posting is kept for one second too"). The company is kept on SQLite
// only (Tx.Company says why).
//
// Every store write to the companies, partners, warehouses, locations,
// items or their units marks its transaction (Tx.masterChanged); Update
// counts the mark once the transaction has committed or failed
// (MasterEpoch), and a View notes the count when it starts, before it
// reads. What a View reads is kept only under the count it noted, and
// served only while the count is still the same: nothing this process
// wrote since can have changed it. Between the end of a marked
// transaction's work and its count — its commit, on SQLite the whole
// group's — nothing is kept or served at all (masterWriting), so a View
// beginning just after the commit reads the database. Another jxc
// process's writes (several servers on one PostgreSQL) count within the
// second, as for who the caller is (service/callers.go). Update's and
// Snapshot's transactions never use it: they read what they themselves
// may have written, or must see one state.

// masterTTL is how long a read of master data is served from memory.
const masterTTL = time.Second

// masterCap bounds each kind of kept master data; when one is full it is
// emptied (entries older than a second serve nothing anyway).
const masterCap = 10_000

type masterEntry[T any] struct {
	v     T
	epoch int64     // MasterEpoch when the View that read it began
	at    time.Time // when that View began
}

type masterCache struct {
	mu        sync.Mutex
	companies map[int64]masterEntry[domain.Company]
	partners  map[[2]int64]masterEntry[domain.Partner]
	items     map[[2]int64]masterEntry[domain.Item]
	places    map[string]masterEntry[Places]
}

// MasterEpoch counts the Updates of this process that wrote master data
// (companies, partners, warehouses, locations, items and their units),
// each counted once it has committed or failed.
func (db *DB) MasterEpoch() int64 { return db.masterEpoch.Load() }

// keptMaster returns what m holds under k when tx is a View that may
// use it: read in the epoch that is still current, less than masterTTL
// before tx began.
func keptMaster[K comparable, T any](tx *Tx, m *map[K]masterEntry[T], k K) (T, bool) {
	var zero T
	if !tx.view {
		return zero, false
	}
	c := &tx.db.master
	c.mu.Lock()
	e, ok := (*m)[k]
	c.mu.Unlock()
	if !ok || tx.db.masterWriting.Load() != 0 || e.epoch != tx.db.masterEpoch.Load() || e.epoch != tx.masterAt {
		return zero, false
	}
	if now := tx.db.now(); now.Sub(e.at) >= masterTTL || now.Before(e.at) { // the age when asked: a long View's late read too
		return zero, false
	}
	return e.v, true
}

// keepMaster keeps v under k when tx is a View whose epoch is still
// current (a write counted since it began may not be in what it read).
func keepMaster[K comparable, T any](tx *Tx, m *map[K]masterEntry[T], k K, v T) {
	if !tx.view || tx.db.masterWriting.Load() != 0 || tx.db.masterEpoch.Load() != tx.masterAt {
		return
	}
	c := &tx.db.master
	c.mu.Lock()
	defer c.mu.Unlock()
	if *m == nil || len(*m) >= masterCap {
		*m = make(map[K]masterEntry[T])
	}
	(*m)[k] = masterEntry[T]{v: v, epoch: tx.masterAt, at: tx.Now}
}

// The kept values are handed out as copies: a caller may change what it
// got (a line's unit, a settings map) without changing the next caller's.

func cloneCompany(c domain.Company) domain.Company {
	c.Settings = cloneSettings(c.Settings)
	return c
}

func clonePartner(p domain.Partner) domain.Partner {
	p.SalespersonID = clonePtr(p.SalespersonID)
	p.Tags, p.Contacts, p.Addresses = slices.Clone(p.Tags), slices.Clone(p.Contacts), slices.Clone(p.Addresses)
	return p
}

func cloneItem(it domain.Item) domain.Item {
	it.CategoryID, it.BrandID, it.ParentID = clonePtr(it.CategoryID), clonePtr(it.BrandID), clonePtr(it.ParentID)
	it.VariantAttrs = slices.Clone(it.VariantAttrs)
	for i := range it.VariantAttrs {
		it.VariantAttrs[i].Values = slices.Clone(it.VariantAttrs[i].Values)
	}
	it.VariantValues = maps.Clone(it.VariantValues)
	it.Units, it.Levels = slices.Clone(it.Units), slices.Clone(it.Levels)
	return it
}

func clonePlaces(p Places) Places {
	return Places{Virtual: maps.Clone(p.Virtual), Roots: maps.Clone(p.Roots), Locs: maps.Clone(p.Locs)}
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// placesKey names StockPlaces' arguments.
func placesKey(companyID int64, warehouses, ids []int64) string {
	b := strconv.AppendInt(make([]byte, 0, 64), companyID, 10)
	for _, w := range warehouses {
		b = strconv.AppendInt(append(b, ','), w, 10)
	}
	b = append(b, ';')
	for _, id := range ids {
		b = strconv.AppendInt(append(b, ','), id, 10)
	}
	return string(b)
}
