package main

import (
	"context"
	"fmt"
	"time"

	"briefbot/briefings"
)

// importRetryEvery is how often `briefbot import` tries again while another
// import is being saved.
const importRetryEvery = 2 * time.Second

// importWaiting imports files with importFiles and, while another import
// is being saved (EBUSY), says so once on stderr and waits for it to
// finish, then reads the files again.
func (m *Main) importWaiting(ctx context.Context, guildID string, files []string) ([]briefings.SaveOutcome, error) {
	said := false
	for {
		out, err := m.importFiles(ctx, guildID, files)
		if briefings.ErrorCode(err) != briefings.EBUSY {
			return out, err
		}
		if !said {
			fmt.Fprintf(m.Stderr, "the library is busy, retrying every %v (Ctrl-C gives up; nothing is imported then): %s\n",
				importRetryEvery, briefings.ErrorMessage(err))
			said = true
		}
		select {
		case <-ctx.Done():
			return nil, m.importError(fmt.Errorf("gave up waiting: %w", err), 0)
		case <-time.After(importRetryEvery):
		}
	}
}
