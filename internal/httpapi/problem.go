package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"regexp"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/i18n"
	"github.com/jxc-erp/jxc/internal/store"
)

// Problem is an RFC 9457 problem+json body with jxc's stable code, a message
// in the caller's language and the fields at fault.
type Problem struct {
	Type      string            `json:"type,omitempty"`
	Title     string            `json:"title" doc:"Short, translated summary"`
	Status    int               `json:"status"`
	Code      string            `json:"code" doc:"Stable machine code: invalid, not_found, conflict, in_use, forbidden, unauthorized …"`
	Detail    string            `json:"detail,omitempty" doc:"Translated explanation"`
	Key       string            `json:"key,omitempty" doc:"Stable key of the message, finer than code: e.g. error.stocktake_uncounted, error.period_open_docs"`
	Params    map[string]string `json:"params,omitempty" doc:"The values the message names, machine-readable: e.g. count"`
	RequestID string            `json:"request_id,omitempty"`
	Errors    []FieldProblem    `json:"errors,omitempty" doc:"One entry per bad field"`
}

// FieldProblem names one bad field.
type FieldProblem struct {
	Field   string            `json:"field" doc:"JSON path of the field, e.g. units[1].barcode"`
	Rule    string            `json:"rule" doc:"Stable rule key, e.g. required, max_length, duplicate"`
	Params  map[string]string `json:"params,omitempty"`
	Message string            `json:"message" doc:"Translated message naming the field"`
}

func (p *Problem) Error() string             { return p.Code + ": " + p.Detail }
func (p *Problem) GetStatus() int            { return p.Status }
func (p *Problem) ContentType(string) string { return "application/problem+json" }

// statusClientClosed is nginx's 499: the client closed the request before
// its answer. It keeps a hang-up out of the 5xx a server's alerts watch.
const statusClientClosed = 499

// statusByCode is the one table from domain codes to HTTP statuses.
var statusByCode = map[domain.Code]int{
	domain.EInvalid:           http.StatusBadRequest,
	domain.ENotFound:          http.StatusNotFound,
	domain.EConflict:          http.StatusConflict,
	domain.EInsufficientStock: http.StatusConflict,
	domain.ECreditLimit:       http.StatusConflict,
	domain.EInUse:             http.StatusConflict,
	domain.EForbidden:         http.StatusForbidden,
	domain.EUnauthorized:      http.StatusUnauthorized,
	domain.ETooManyRequests:   http.StatusTooManyRequests,
	domain.ESetupDone:         http.StatusConflict,
	domain.ESetupRequired:     http.StatusConflict,
	domain.EIdempotencyKey:    http.StatusUnprocessableEntity,
	domain.EInProgress:        http.StatusConflict,
	domain.EAnswerLost:        http.StatusConflict,
	domain.ECanceled:          statusClientClosed,
	domain.EInternal:          http.StatusInternalServerError,
}

type ctxKey int

const (
	langKey ctxKey = iota
	requestIDKey
	principalKey
	authErrKey
	clientIPKey
	routeKey
)

func langOf(ctx context.Context) i18n.Lang {
	if l, ok := ctx.Value(langKey).(i18n.Lang); ok {
		return l
	}
	return i18n.Default
}

func requestIDOf(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// problemFor renders any error for the caller. Domain errors keep their
// code; anything else is an internal error: logged with the request id,
// never shown.
func problemFor(ctx context.Context, log *slog.Logger, err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	lang, rid := langOf(ctx), requestIDOf(ctx)
	if errors.Is(err, store.ErrReplay) { // replaced by the stored response (see idempotency)
		return &Problem{Status: http.StatusConflict, Code: string(domain.EInProgress), Title: i18n.T(lang, "error.request_in_progress", nil), RequestID: rid}
	}
	var de *domain.Error
	if !errors.As(err, &de) || de.Code == domain.EInternal {
		if errors.Is(err, context.Canceled) { // the client hung up: nobody reads this, but the metrics count it apart from server errors
			log.InfoContext(ctx, "request canceled", "request_id", rid)
			return &Problem{Status: statusClientClosed, Code: string(domain.ECanceled), Title: i18n.T(lang, "error.request_canceled", nil), RequestID: rid}
		}
		log.ErrorContext(ctx, "internal error", "request_id", rid, "err", err)
		return &Problem{Status: 500, Code: string(domain.EInternal), Title: i18n.T(lang, "error.internal", map[string]string{"request_id": rid}), RequestID: rid}
	}
	status, ok := statusByCode[de.Code]
	if !ok {
		status = http.StatusBadRequest
	}
	key := de.Key
	if key == "" || !i18n.Has(lang, key) {
		key = "error." + string(de.Code)
	}
	params := map[string]string{"request_id": rid}
	for k, v := range de.Params {
		params[k] = v
	}
	out := &Problem{Status: status, Code: string(de.Code), Key: key, Title: i18n.T(lang, key, params), RequestID: rid}
	if len(de.Params) > 0 { // the caller's values as they are, untranslated: a client may count on them
		out.Params = maps.Clone(de.Params)
	}
	out.Detail = out.Title
	for _, f := range de.Fields {
		out.Errors = append(out.Errors, fieldProblem(lang, f.Field, f.Rule, f.Params))
	}
	if len(out.Errors) > 0 && de.Code == domain.EInvalid {
		out.Detail = joinMessages(lang, out.Errors)
	}
	return out
}

func fieldProblem(lang i18n.Lang, field, rule string, params map[string]string) FieldProblem {
	return FieldProblem{Field: field, Rule: rule, Params: params, Message: i18n.FieldMessage(lang, field, i18n.T(lang, "rule."+rule, params))}
}

func joinMessages(lang i18n.Lang, fs []FieldProblem) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.Message
	}
	return i18n.Join(lang, parts)
}

// humaRules turns huma's English validation messages into our rules.
var humaRules = []struct {
	re    *regexp.Regexp
	rule  string
	param string
}{
	{regexp.MustCompile(`^expected required property (\S+) to be present`), "required", "_field"},
	{regexp.MustCompile(`^unexpected property`), "unexpected", ""},
	{regexp.MustCompile(`^expected length <= (\d+)`), "max_length", "max"},
	{regexp.MustCompile(`^expected length >= (\d+)`), "min_length", "min"},
	{regexp.MustCompile(`^expected number >= (\S+)`), "min", "min"},
	{regexp.MustCompile(`^expected number > (\S+)`), "min", "min"},
	{regexp.MustCompile(`^expected number <= (\S+)`), "max", "max"},
	{regexp.MustCompile(`^expected number < (\S+)`), "max", "max"},
	{regexp.MustCompile(`^expected array length <= (\d+)`), "max_items", "max"},
	{regexp.MustCompile(`^expected value to be one of "(.*)"`), "one_of", "allowed"},
	{regexp.MustCompile(`^expected string to match pattern \^-\?\\d\+\(\\\.\\d\{1,(\d)\}\)`), "invalid_decimal", "max"},
	{regexp.MustCompile(`^expected string to match pattern \^\\d\{4\}-`), "invalid_date", ""},
	{regexp.MustCompile(`^expected string to match pattern`), "pattern", ""},
	{regexp.MustCompile(`^expected (integer|number|string|boolean|array|object)`), "type", "type"},
}

// humaProblem converts huma's own errors (validation, malformed bodies,
// body too large) into our problem form, in the caller's language.
func humaProblem(hctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
	for _, e := range errs {
		var own *Problem
		if errors.As(e, &own) {
			return own
		}
	}
	ctx := hctx.Context()
	lang, rid := langOf(ctx), requestIDOf(ctx)
	p := &Problem{Status: status, RequestID: rid}
	switch {
	case status == http.StatusUnprocessableEntity || status == http.StatusBadRequest:
		p.Status, p.Code = http.StatusBadRequest, string(domain.EInvalid)
		p.Title = i18n.T(lang, "error.invalid", nil)
		for _, e := range errs {
			var d *huma.ErrorDetail
			if !errors.As(e, &d) {
				p.Errors = append(p.Errors, fieldProblem(lang, "body", "invalid", nil))
				continue
			}
			p.Errors = append(p.Errors, detailProblem(lang, d))
		}
		if len(p.Errors) == 0 {
			p.Title = i18n.T(lang, "error.bad_request", nil)
			p.Errors = append(p.Errors, fieldProblem(lang, "body", "invalid", nil))
		}
		p.Detail = joinMessages(lang, p.Errors)
	case status == http.StatusRequestEntityTooLarge:
		p.Code, p.Title = string(domain.EInvalid), i18n.T(lang, "error.too_large", nil)
	case status == http.StatusNotAcceptable || status == http.StatusUnsupportedMediaType:
		p.Code, p.Title = string(domain.EInvalid), i18n.T(lang, "error.not_acceptable", nil)
	case status >= 500:
		slog.Default().ErrorContext(ctx, "internal error", "request_id", rid, "msg", msg, "errs", fmt.Sprint(errs))
		p.Code, p.Title = string(domain.EInternal), i18n.T(lang, "error.internal", map[string]string{"request_id": rid})
	default:
		p.Code, p.Title = "error", http.StatusText(status)
	}
	return p
}

func detailProblem(lang i18n.Lang, d *huma.ErrorDetail) FieldProblem {
	field := d.Location
	for _, pre := range []string{"body.", "query.", "path.", "header."} {
		field = strings.TrimPrefix(field, pre)
	}
	if field == "body" || field == "" {
		field = "body"
	}
	for _, r := range humaRules {
		m := r.re.FindStringSubmatch(d.Message)
		if m == nil {
			continue
		}
		params := map[string]string{}
		switch r.param {
		case "":
		case "_field":
			if field == "body" {
				field = m[1]
			} else {
				field = field + "." + m[1]
			}
		default:
			params[r.param] = m[1]
		}
		if r.rule == "invalid_decimal" || r.rule == "type" {
			if len(params) == 0 {
				params = nil
			}
		}
		return fieldProblem(lang, field, r.rule, params)
	}
	// A decimal or date that parsed badly after validation.
	if strings.Contains(d.Message, domain.ErrDecimal.Error()) {
		return fieldProblem(lang, field, "invalid_decimal", map[string]string{"max": "4"})
	}
	return fieldProblem(lang, field, "invalid", nil)
}
