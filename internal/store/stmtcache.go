package store

import (
	"bytes"
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"reflect"
	"strconv"
	"strings"
)

// Prepared statements kept per SQLite connection.
//
// bun writes every argument into the SQL text, so SQLite parsed and planned
// every statement afresh: under load that was a fifth of the server's CPU and
// a quarter of the single writer's time (docs/PERFORMANCE.md, "Third
// round"). This wrapper around the driver turns the literals of a SELECT,
// INSERT, UPDATE or DELETE back into parameters, keeps the prepared statement
// per connection under the parameterised text, and binds the literals'
// values: the next statement of the same shape with other values is reset
// and run, not parsed again.
//
// It is safe because SQLite decides every plan choice that depends on a
// value when the value is bound: a statement whose plan used a literal (a
// partial index, LIKE) is prepared again for each new value. A statement
// SQLite will not prepare with parameters (an upsert target naming a partial
// index) runs as written. Numbers in ORDER BY and GROUP BY lists stay
// literal, since there they name columns, and so do a CASE's results, which
// SQLite evaluates for every row.

const (
	stmtCacheSize   = 256      // statements kept per connection
	stmtCacheArgs   = 1000     // statements with more literals (bulk loads, long lists) run as written
	stmtCacheText   = 64 << 10 // and so do longer texts
	stmtCacheRefuse = 512      // texts SQLite refused to prepare, remembered per connection
)

// sqliteDriver is the driver database/sql knows as "sqlite", with whatever
// is registered on it.
var sqliteDriver = func() driver.Driver {
	db, err := sql.Open("sqlite", "")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	return db.Driver()
}()

// ctxConn is a driver connection with the context methods database/sql
// prefers; both statement caches wrap one.
type ctxConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
}

// sqliteConn is what the wrapper needs of the driver's connection.
type sqliteConn interface {
	ctxConn
	driver.Validator
}

// stmtConnector opens driver connections that keep their statements.
type stmtConnector struct {
	dsn string
	drv driver.Driver
}

func (c stmtConnector) Connect(context.Context) (driver.Conn, error) {
	dc, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	sc, ok := dc.(sqliteConn)
	if !ok {
		dc.Close()
		return nil, errors.New("sqlite driver connection lacks a context method")
	}
	return &stmtConn{sqliteConn: sc, lru: list.New(), cache: map[string]*list.Element{}, refused: map[string]struct{}{}}, nil
}

func (c stmtConnector) Driver() driver.Driver { return c.drv }

// stmtConn is one connection and its prepared statements, least recently
// used at the back. database/sql uses a connection from one goroutine at a
// time, so it needs no lock.
type stmtConn struct {
	sqliteConn
	lru      *list.List // of *cachedStmt
	cache    map[string]*list.Element
	refused  map[string]struct{}
	prepares int                 // statements prepared for the cache (tests)
	buf      []byte              // the parameterised text being looked up
	vals     []driver.NamedValue // and its values
}

type cachedStmt struct {
	key     string
	st      driver.Stmt
	busy    bool // a statement or its open rows is running
	evicted bool // dropped from the cache while busy: closed when released
}

type stmtExecQuery interface {
	driver.StmtExecContext
	driver.StmtQueryContext
}

func (c *stmtConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, vals := c.take(ctx, query, args)
	if cs == nil {
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	defer c.release(cs)
	return cs.st.(stmtExecQuery).ExecContext(ctx, vals)
}

func (c *stmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, vals := c.take(ctx, query, args)
	if cs == nil {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	r, err := cs.st.(stmtExecQuery).QueryContext(ctx, vals)
	if err != nil {
		c.release(cs)
		return nil, err
	}
	return &stmtRows{Rows: r, conn: c, cs: cs}, nil
}

// take returns the prepared statement for query and the values to bind, or
// nil when query is to run as written.
func (c *stmtConn) take(ctx context.Context, query string, args []driver.NamedValue) (*cachedStmt, []driver.NamedValue) {
	if len(query) > stmtCacheText {
		return nil, nil
	}
	norm, vals := c.buf[:0], args
	if len(args) == 0 {
		var ok bool
		norm, vals, ok = appendParams(norm, c.vals[:0], query)
		c.buf, c.vals = norm, vals // reused: the driver binds the values before it returns
		if !ok {
			return nil, nil
		}
	} else if !cacheable(query) || strings.IndexByte(query, ';') >= 0 {
		return nil, nil
	} else {
		norm = append(norm, query...)
		c.buf = norm
	}
	if len(vals) > stmtCacheArgs {
		return nil, nil
	}
	if e, ok := c.cache[string(norm)]; ok {
		cs := e.Value.(*cachedStmt)
		if cs.busy { // its rows are still being read: run this one on its own
			return nil, nil
		}
		c.lru.MoveToFront(e)
		cs.busy = true
		return cs, vals
	}
	if _, ok := c.refused[string(norm)]; ok {
		return nil, nil
	}
	key := string(norm)
	st, err := c.sqliteConn.PrepareContext(ctx, key)
	if err == nil {
		if _, ok := st.(stmtExecQuery); !ok {
			st.Close()
			err = errors.New("sqlite statement lacks a context method")
		}
	}
	if err != nil {
		if len(c.refused) >= stmtCacheRefuse {
			clear(c.refused)
		}
		c.refused[key] = struct{}{}
		return nil, nil
	}
	c.prepares++
	cs := &cachedStmt{key: key, st: st, busy: true}
	c.cache[key] = c.lru.PushFront(cs)
	for c.lru.Len() > stmtCacheSize {
		old := c.lru.Back()
		oc := old.Value.(*cachedStmt)
		c.lru.Remove(old)
		delete(c.cache, oc.key)
		if oc.busy {
			oc.evicted = true
		} else {
			oc.st.Close()
		}
	}
	return cs, vals
}

func (c *stmtConn) release(cs *cachedStmt) {
	cs.busy = false
	if cs.evicted {
		cs.st.Close()
	}
}

func (c *stmtConn) Close() error {
	for e := c.lru.Front(); e != nil; e = e.Next() {
		e.Value.(*cachedStmt).st.Close()
	}
	c.lru.Init()
	clear(c.cache)
	return c.sqliteConn.Close()
}

// stmtRows releases its statement when closed.
type stmtRows struct {
	driver.Rows
	conn *stmtConn
	cs   *cachedStmt
}

func (r *stmtRows) Close() error {
	err := r.Rows.Close()
	if r.cs != nil {
		r.conn.release(r.cs)
		r.cs = nil
	}
	return err
}

// The driver's rows describe their columns; pass that on.
type columnTyper interface {
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

func (r *stmtRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(columnTyper); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *stmtRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(columnTyper); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *stmtRows) ColumnTypeNullable(i int) (bool, bool) {
	if t, ok := r.Rows.(columnTyper); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *stmtRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if t, ok := r.Rows.(columnTyper); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r *stmtRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(columnTyper); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

// cacheable reports whether q is a statement worth keeping: one that reads
// or writes rows, or a savepoint.
func cacheable(q string) bool {
	return startsWithOneOf(q, "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE", "VALUES", "SAVEPOINT", "RELEASE")
}

// startsWithOneOf reports whether the first word of q, after blanks and
// opening parentheses, is one of words (in any case).
func startsWithOneOf(q string, words ...string) bool {
	i := 0
	for i < len(q) && (q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r' || q[i] == '(') {
		i++
	}
	j := i
	for j < len(q) && isIdentByte(q[j]) {
		j++
	}
	w := q[i:j]
	for _, k := range words {
		if len(w) == len(k) && strings.EqualFold(w, k) {
			return true
		}
	}
	return false
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// appendParams appends to b the text q with its string, blob and number
// literals replaced by ?, and their values to vals, for one statement that
// reads or writes rows (cacheable). ok is false for anything else, for a
// text that already has parameters or holds a second statement, and past
// stmtCacheArgs values. Numbers in an ORDER BY or GROUP BY list, a CASE's
// results and a constant word compared with a column stay as written.
//
// The constant words — a state, a type, a kind: short lowercase words the
// code writes the same in every run (constantWord, as on PostgreSQL) — stay
// when they follow =, <> or != or sit in an IN list. A partial index's
// condition names such words (documents_open_invoices: type =
// 'sales_invoice' AND state = 'posted'), and to learn whether it may use
// the index SQLite compares the statement's terms with it; a parameter in
// the place of a word makes it look at the value bound and mark the
// statement to be prepared again whenever the parameter is bound — every
// run. The credit read of each order confirmation did that: 8 % of the
// single writer's time under orders at 16 clients.
func appendParams(b []byte, vals []driver.NamedValue, q string) ([]byte, []driver.NamedValue, bool) {
	if !cacheable(q) {
		return b, vals, false
	}
	add := func(v any) {
		vals = append(vals, driver.NamedValue{Ordinal: len(vals) + 1, Value: v})
		b = append(b, '?')
	}
	var inList []bool       // for each open parenthesis, whether it opens an IN list
	lastIn := false         // the last word was IN
	depth, byDepth := 0, -1 // byDepth: the parenthesis depth of the ORDER/GROUP BY list being read
	orderGroup := false     // the last word was ORDER or GROUP
	// result: the last word was THEN or ELSE. SQLite evaluates a CASE's
	// result for every row without hoisting a parameter out of the loop, so
	// a literal there stays literal (a report with many of them ran 10 %
	// slower with parameters).
	result := false
	for i := 0; i < len(q); {
		if len(vals) > stmtCacheArgs { // a bulk load: not worth keeping
			return b, vals, false
		}
		c := q[i]
		switch {
		case c == '\'':
			s, n, ok := readQuoted(q[i:], '\'')
			if !ok {
				return b, vals, false
			}
			if result || constantWord(s) && (afterCompare(b) || len(inList) > 0 && inList[len(inList)-1] && afterListStart(b)) {
				b = append(b, q[i:i+n]...)
			} else {
				add(s)
			}
			i += n
			result, lastIn = false, false
		case (c == 'x' || c == 'X') && i+1 < len(q) && q[i+1] == '\'' && (i == 0 || !isIdentByte(q[i-1])):
			s, n, ok := readQuoted(q[i+1:], '\'')
			if !ok {
				return b, vals, false
			}
			blob, err := hex.DecodeString(s)
			if err != nil {
				return b, vals, false
			}
			if len(blob) == 0 { // the driver might bind an empty blob as NULL
				b = append(b, q[i:i+1+n]...)
			} else {
				add(blob)
			}
			i += 1 + n
		case c == '"' || c == '`':
			_, n, ok := readQuoted(q[i:], c)
			if !ok {
				return b, vals, false
			}
			b = append(b, q[i:i+n]...)
			i += n
			orderGroup = false
		case c == '[':
			j := strings.IndexByte(q[i:], ']')
			if j < 0 {
				return b, vals, false
			}
			b = append(b, q[i:i+j+1]...)
			i += j + 1
			orderGroup = false
		case commentAt(q, i):
			n := commentLen(q[i:])
			if n < 0 {
				return b, vals, false
			}
			b = append(b, q[i:i+n]...)
			i += n
		case c == '?' || c == ';' || c == '$' || c == ':' || c == '@' || c == '#':
			return b, vals, false // parameters already, or a second statement
		case isDigit(c) || c == '.' && i+1 < len(q) && isDigit(q[i+1]):
			j := i
			for j < len(q) && isDigit(q[j]) {
				j++
			}
			float := false
			if j < len(q) && q[j] == '.' {
				float = true
				for j++; j < len(q) && isDigit(q[j]); j++ {
				}
			}
			if j < len(q) && (q[j] == 'e' || q[j] == 'E') {
				k := j + 1
				if k < len(q) && (q[k] == '+' || q[k] == '-') {
					k++
				}
				if k < len(q) && isDigit(q[k]) {
					float = true
					for j = k; j < len(q) && isDigit(q[j]); j++ {
					}
				}
			}
			keep := byDepth == depth || result // a column number, a CASE result
			result = false
			for j < len(q) && isIdentByte(q[j]) { // 0x1F, 1abc: not a plain number
				j++
				keep = true
			}
			lit := q[i:j]
			i = j
			if keep {
				b = append(b, lit...)
				continue
			}
			if float {
				f, err := strconv.ParseFloat(lit, 64)
				if err != nil {
					return b, vals, false
				}
				add(f)
			} else if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
				add(n)
			} else {
				b = append(b, lit...)
			}
		case isIdentByte(c):
			j := i
			for j < len(q) && isIdentByte(q[j]) {
				j++
			}
			w := q[i:j]
			if strings.EqualFold(w, "BY") {
				if orderGroup {
					byDepth = depth
				}
			} else if byDepth == depth && endsByList(w) {
				byDepth = -1
			}
			orderGroup = strings.EqualFold(w, "ORDER") || strings.EqualFold(w, "GROUP")
			result = strings.EqualFold(w, "THEN") || strings.EqualFold(w, "ELSE")
			lastIn = strings.EqualFold(w, "IN")
			b = append(b, q[i:j]...)
			i = j
		case c == '(':
			result = false
			inList = append(inList, lastIn)
			lastIn = false
			depth++
			b = append(b, c)
			i++
		case c == ')':
			result, lastIn = false, false
			if len(inList) > 0 {
				inList = inList[:len(inList)-1]
			}
			if byDepth == depth {
				byDepth = -1
			}
			depth--
			b = append(b, c)
			i++
		default:
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '-' { // ELSE -1 is still a result
				result = false
			}
			b = append(b, c)
			i++
		}
	}
	return b, vals, true
}

// afterCompare reports whether the text b written so far ends, past blanks,
// with =, <> or != (not <= or >=).
func afterCompare(b []byte) bool {
	b = trimBlanks(b)
	i := len(b)
	switch {
	case i >= 2 && (string(b[i-2:i]) == "<>" || string(b[i-2:i]) == "!=" || string(b[i-2:i]) == "=="):
		return true
	case i >= 1 && b[i-1] == '=':
		return i < 2 || b[i-2] != '<' && b[i-2] != '>'
	}
	return false
}

// afterListStart reports whether the text b written so far ends, past
// blanks, with an opening parenthesis or a comma: the place of a list item.
func afterListStart(b []byte) bool {
	b = trimBlanks(b)
	return len(b) > 0 && (b[len(b)-1] == '(' || b[len(b)-1] == ',')
}

// trimBlanks is b without the blanks it ends with.
func trimBlanks(b []byte) []byte {
	return bytes.TrimRight(b, " \t\n\r")
}

// commentAt reports whether a comment (-- or /*) starts at q[i].
func commentAt(q string, i int) bool {
	return i+1 < len(q) && (q[i] == '-' && q[i+1] == '-' || q[i] == '/' && q[i+1] == '*')
}

// commentLen returns the length of the comment s starts with: a line
// comment to its newline (or the end), a block comment to its */; -1 for a
// block comment never closed.
func commentLen(s string) int {
	if s[0] == '-' {
		if j := strings.IndexByte(s, '\n'); j >= 0 {
			return j
		}
		return len(s)
	}
	j := strings.Index(s[2:], "*/")
	if j < 0 {
		return -1
	}
	return j + 4
}

// endsByList reports whether a word ends an ORDER BY or GROUP BY list.
func endsByList(w string) bool {
	for _, k := range [...]string{"LIMIT", "OFFSET", "HAVING", "WINDOW", "UNION", "EXCEPT", "INTERSECT", "SELECT", "FROM",
		"WHERE", "VALUES", "SET", "RETURNING", "ON", "DO"} {
		if len(w) == len(k) && strings.EqualFold(w, k) {
			return true
		}
	}
	return false
}

// readQuoted reads a literal or identifier quoted with q (doubled inside) at
// the start of s: its content and its length with the quotes.
func readQuoted(s string, q byte) (string, int, bool) {
	for i := 1; i < len(s); i++ {
		if s[i] == q {
			if i+1 < len(s) && s[i+1] == q {
				return readDoubled(s, q)
			}
			return s[1:i], i + 1, true
		}
	}
	return "", 0, false
}

// readDoubled is readQuoted for a text with doubled quotes in it.
func readDoubled(s string, q byte) (string, int, bool) {
	var sb strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != q {
			sb.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == q {
			sb.WriteByte(q)
			i++
			continue
		}
		return sb.String(), i + 1, true
	}
	return "", 0, false
}
