package briefings

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. Transports map them to what a user sees:
// only EINTERNAL is logged in detail and hidden behind an apology.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
	EINTERNAL  = "internal"
	// EBUSY says the library is busy with another write (such as an
	// import): nothing was saved, and the same request may succeed when
	// tried again.
	EBUSY = "busy"
)

// Error is an application error with a code and a message written for people.
type Error struct {
	// Code is one of the E* constants.
	Code string
	// Message is safe to show to the user who caused the error.
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("briefings error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the application error in err's chain,
// EINTERNAL for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of the application error in
// err's chain, or a generic message for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
