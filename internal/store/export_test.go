package store

// PGShape is the text pgcache.go prepares for q on PostgreSQL (q itself
// when it runs as written).
func PGShape(q string) string {
	b, _, ok := appendPGParams(nil, nil, q)
	if !ok {
		return q
	}
	return string(b)
}
