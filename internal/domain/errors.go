package domain

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code is the stable, machine-readable kind of an error. Clients and the UI
// branch on it; httpapi maps it to a status in one table.
type Code string

const (
	EInvalid         Code = "invalid"
	ENotFound        Code = "not_found"
	EConflict        Code = "conflict"
	EInUse           Code = "in_use"
	EForbidden       Code = "forbidden"
	EUnauthorized    Code = "unauthorized"
	ETooManyRequests Code = "too_many_requests"
	ESetupDone       Code = "setup_done"
	ESetupRequired   Code = "setup_required"
	EIdempotencyKey  Code = "idempotency_key_reused"
	EInProgress      Code = "request_in_progress"
	EAnswerLost      Code = "idempotency_answer_lost"
	ECanceled        Code = "request_canceled" // the client closed the request before its answer (HTTP 499)
	EInternal        Code = "internal"
)

// Error is the one error type that crosses layers. Message is English for
// logs and developers; Key and Params let httpapi render it in the caller's
// language; Fields names each bad input.
type Error struct {
	Code    Code
	Message string
	Key     string
	Params  map[string]string
	Fields  []FieldError
}

// FieldError says what is wrong with one input field. Field is the JSON path
// ("code", "units[1].barcode"); Rule is a key such as "required".
type FieldError struct {
	Field  string
	Rule   string
	Params map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Rule
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf returns an *Error with a formatted English message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorKey returns an *Error whose message has a translation key.
func ErrorKey(code Code, key string, params map[string]string, message string) *Error {
	return &Error{Code: code, Key: key, Params: params, Message: message}
}

// ErrorCode returns the code of err, or EInternal for anything that is not a
// domain error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// Fields collects field errors during validation.
type Fields struct{ list []FieldError }

// Add records a broken rule for a field.
func (f *Fields) Add(field, rule string, kv ...string) {
	var p map[string]string
	if len(kv) > 0 {
		p = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			p[kv[i]] = kv[i+1]
		}
	}
	f.list = append(f.list, FieldError{Field: field, Rule: rule, Params: p})
}

// Required adds "required" if v is blank.
func (f *Fields) Required(field, v string) {
	if strings.TrimSpace(v) == "" {
		f.Add(field, "required")
	}
}

// MaxLen adds "max_length" if v has more than n characters.
func (f *Fields) MaxLen(field, v string, n int) {
	if len([]rune(v)) > n {
		f.Add(field, "max_length", "max", fmt.Sprint(n))
	}
}

// NotNegative adds "min" if v < 0.
func (f *Fields) NotNegative(field string, v int64) {
	if v < 0 {
		f.Add(field, "not_negative")
	}
}

// OneOf adds "one_of" unless v is one of the allowed values.
func (f *Fields) OneOf(field, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	f.Add(field, "one_of", "allowed", strings.Join(allowed, ", "))
}

// Err returns nil when no rule was broken, else one EInvalid error.
func (f *Fields) Err() error {
	if len(f.list) == 0 {
		return nil
	}
	sort.SliceStable(f.list, func(i, j int) bool { return f.list[i].Field < f.list[j].Field })
	return &Error{Code: EInvalid, Key: "error.invalid", Message: "invalid input", Fields: f.list}
}

// FieldErr is a shorthand for a single-field EInvalid error.
func FieldErr(field, rule string, kv ...string) error {
	var f Fields
	f.Add(field, rule, kv...)
	return f.Err()
}
