package service

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jxc-erp/jxc/internal/domain"
)

// joinInvalid merges the field errors of several validations into one
// invalid error, so the caller sees every bad field at once. Any other kind
// of error is returned as it is.
func joinInvalid(errs ...error) error {
	var fields []domain.FieldError
	for _, err := range errs {
		if err == nil {
			continue
		}
		var e *domain.Error
		if !errors.As(err, &e) || e.Code != domain.EInvalid {
			return err
		}
		fields = append(fields, e.Fields...)
	}
	if len(fields) == 0 {
		return nil
	}
	return &domain.Error{Code: domain.EInvalid, Key: "error.invalid", Message: "invalid input", Fields: fields}
}

// prefixed renames the fields of an invalid error: "name" → "company_name".
func prefixed(prefix string, err error) error {
	var e *domain.Error
	if err == nil || !errors.As(err, &e) {
		return err
	}
	out := *e
	out.Fields = make([]domain.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = prefix + f.Field
		out.Fields[i] = f
	}
	return &out
}

func validNameField(f *domain.Fields, field, v string) {
	f.Required(field, v)
	f.MaxLen(field, v, 200)
}

func notFoundErr(entity string, id any) error {
	return domain.ErrorKey(domain.ENotFound, "error.not_found", map[string]string{"entity": entity},
		fmt.Sprintf("%s %v not found", entity, id))
}

// refErr is the error for a reference to a record that does not exist in
// the caller's company.
func refErr(field string) error { return domain.FieldErr(field, "unknown_reference") }

func trim(s string) string { return strings.TrimSpace(s) }
