package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// BenchmarkPackAnswer packs a ten-line document's answer (about 7 KB of
// JSON), as every request with an Idempotency-Key does.
func BenchmarkPackAnswer(b *testing.B) {
	body := []byte(`{"id":7,"lines":[` + strings.Repeat(`{"item_id":146,"unit_id":3,"qty":"1.0000","price":"10.0000","amount":"10.00","note":"","batch":""},`, 70) + `{}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if p := packAnswer("application/json", body); p[0] != 0x78 {
			b.Fatal("not packed")
		}
	}
}

// Compressors come from a pool, so answers packed one after another (and
// at once) must each unpack to their own body.
func TestPackAnswerPooled(t *testing.T) {
	bodies := make([][]byte, 8)
	for i := range bodies {
		bodies[i] = []byte(`{"n":` + strings.Repeat(`"`+strings.Repeat(string(rune('a'+i)), 40)+`",`, 30) + `0}`)
	}
	done := make(chan error, len(bodies)*20)
	for range 20 {
		for _, body := range bodies {
			go func() {
				got, err := unpackAnswer("application/json", packAnswer("application/json", body))
				if err == nil && !bytes.Equal(got, body) {
					err = errors.New("a pooled compressor mixed two answers")
				}
				done <- err
			}()
		}
	}
	for range cap(done) {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
