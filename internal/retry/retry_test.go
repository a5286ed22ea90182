package retry_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"briefbot/internal/retry"
)

func TestPolicyWait(t *testing.T) {
	t.Parallel()
	p := retry.Policy{Backoff: 100 * time.Millisecond, Max: 2 * time.Second}
	for _, tt := range []struct {
		name     string
		failures int
		v        retry.Verdict
		want     time.Duration
	}{
		{"FirstFailure", 0, retry.Verdict{Again: true}, 100 * time.Millisecond},
		{"Doubles", 3, retry.Verdict{Again: true}, 800 * time.Millisecond},
		{"Capped", 10, retry.Verdict{Again: true}, 2 * time.Second},
		{"NoOverflow", 200, retry.Verdict{Again: true}, 2 * time.Second},
		{"RetryAfterLonger", 0, retry.Verdict{Again: true, After: time.Second}, time.Second},
		{"BackoffLonger", 4, retry.Verdict{Again: true, After: time.Second}, 1600 * time.Millisecond},
		{"RetryAfterCapped", 0, retry.Verdict{Again: true, After: time.Hour}, 2 * time.Second},
		{"RateLimitWaitsItsOwn", 3, retry.Verdict{Again: true, Limited: true, After: 10 * time.Millisecond}, 10 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Wait(tt.failures, tt.v); got != tt.want {
				t.Errorf("Wait(%d, %+v) = %v, want %v", tt.failures, tt.v, got, tt.want)
			}
		})
	}
}

func TestAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{" 1.5 ", 1500 * time.Millisecond},
		{"-2", 0},
		{"0", 0},
		{"NaN", 0},
		{"soon", 0},
		{"1e300", 365 * 24 * time.Hour},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	} {
		h := http.Header{}
		if tt.header != "" {
			h.Set("Retry-After", tt.header)
		}
		if got := retry.After(h, now); got != tt.want {
			t.Errorf("After(Retry-After: %q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestDiscordAfter(t *testing.T) {
	t.Parallel()
	h := http.Header{"Retry-After": {"2"}}
	if got := retry.DiscordAfter(h, []byte(`{"message":"You are being rate limited.","retry_after":0.25,"global":false}`)); got != 250*time.Millisecond {
		t.Errorf("body's retry_after: got %v, want 250ms", got)
	}
	if got := retry.DiscordAfter(h, []byte(`not json`)); got != 2*time.Second {
		t.Errorf("header: got %v, want 2s", got)
	}
	if got := retry.DiscordAfter(http.Header{}, nil); got != time.Second {
		t.Errorf("neither: got %v, want 1s", got)
	}
}

// TestResponse judges real exchanges with a loopback server.
func TestResponse(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/busy":
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		case "/down":
			w.WriteHeader(http.StatusBadGateway)
		case "/gone":
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	for _, tt := range []struct {
		path string
		want retry.Verdict
	}{
		{"/busy", retry.Verdict{Again: true, After: 7 * time.Second}},
		{"/down", retry.Verdict{Again: true}},
		{"/gone", retry.Verdict{}},
	} {
		resp, err := http.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := retry.Response(resp, nil); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.path, got, tt.want)
		}
	}
	// a connection refused before any reply may be repeated
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	_, err := http.Get(closed.URL)
	if got := retry.Response(nil, err); !got.Again {
		t.Errorf("connection refused (%v): %+v, want Again", err, got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	_, err = http.DefaultClient.Do(req)
	if got := retry.Response(nil, err); got.Again {
		t.Errorf("the caller's cancellation (%v): %+v, want no retry", err, got)
	}
}

func TestDo(t *testing.T) {
	t.Parallel()
	errBusy, errDown, errRefused := errors.New("busy"), errors.New("down"), errors.New("refused")
	judge := func(err error) retry.Verdict {
		switch err {
		case errBusy:
			return retry.Verdict{Again: true, Limited: true, After: time.Millisecond}
		case errDown:
			return retry.Verdict{Again: true}
		}
		return retry.Verdict{}
	}
	p := retry.Policy{Attempts: 4, Backoff: time.Millisecond}
	for _, tt := range []struct {
		name      string
		errs      []error
		wantErr   error
		wantTries int
		wantWaits []time.Duration
	}{
		{"FirstTime", nil, nil, 1, nil},
		{"AfterFailures", []error{errDown, errBusy, errDown}, nil, 4, []time.Duration{time.Millisecond, time.Millisecond, 2 * time.Millisecond}},
		{"Refusal", []error{errDown, errRefused}, errRefused, 2, []time.Duration{time.Millisecond}},
		{"OutOfAttempts", []error{errDown, errDown, errDown, errDown, errDown}, errDown, 4, []time.Duration{time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tries := 0
			var waits []time.Duration
			err := p.Do(context.Background(), func(attempt int) error {
				tries++
				if attempt != tries {
					t.Errorf("attempt %d on try %d", attempt, tries)
				}
				if tries <= len(tt.errs) {
					return tt.errs[tries-1]
				}
				return nil
			}, judge, func(_ int, wait time.Duration, _ error) { waits = append(waits, wait) })
			if err != tt.wantErr || tries != tt.wantTries || len(waits) != len(tt.wantWaits) {
				t.Fatalf("err=%v tries=%d waits=%v, want %v, %d, %v", err, tries, waits, tt.wantErr, tt.wantTries, tt.wantWaits)
			}
			for i := range waits {
				if waits[i] != tt.wantWaits[i] {
					t.Errorf("wait %d = %v, want %v", i, waits[i], tt.wantWaits[i])
				}
			}
		})
	}

	t.Run("ContextEnds", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		slow := retry.Policy{Attempts: 3, Backoff: time.Hour}
		start := time.Now()
		err := slow.Do(ctx, func(int) error { return errDown }, judge, nil)
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 10*time.Second {
			t.Errorf("err=%v after %v, want the deadline without waiting an hour", err, time.Since(start))
		}
	})
}

func TestFinal(t *testing.T) {
	t.Parallel()
	base := errors.New("redirect refused")
	err := retry.Final(base)
	if !errors.Is(err, base) || err.Error() != base.Error() {
		t.Errorf("Final(%v) = %v, want the same error seen through", base, err)
	}
	if v := retry.Response(nil, err); v.Again {
		t.Errorf("Response(nil, Final) = %+v, want no retry", v)
	}
	if retry.Final(nil) != nil {
		t.Error("Final(nil) != nil")
	}
}
