package briefings

import (
	"context"
	"time"
)

// Delivery is one row of the outbox: one subscription's slot, written before
// anything is sent so that a crash or a retry can neither lose the slot nor
// post it twice.
type Delivery struct {
	// ID is the outbox row's identifier; message nonces derive from it.
	ID int64
	// Subscription is the subscription as it stands now.
	Subscription *Subscription
	// Slot is the scheduled instant; Since where the digest period starts.
	Slot, Since time.Time
	// PartsSent counts the messages of the digest already posted, and
	// MessageIDs are their IDs, so a resumed delivery posts only the rest.
	PartsSent  int
	MessageIDs []string
	// Attempts counts the runs that tried and failed for now.
	Attempts int
}

// DigestKey identifies one composition of a digest, shared by every
// subscription of the same library and topic whose period is the same.
type DigestKey struct {
	GuildID, Topic string
	Since, Until   time.Time
}

// StoredDigest is a digest rendered once into messages and kept, so that
// every subscriber of a slot, and every retry, posts the same messages.
type StoredDigest struct {
	// ID is the store's identifier.
	ID int64
	// Parts are the messages as JSON request bodies, in order; none when
	// nothing was new.
	Parts []string
}

// ClaimReport says what ClaimDue did.
type ClaimReport struct {
	// Claimed is how many outbox rows it wrote.
	Claimed int
	// Missed is how many slots it skipped because they were past the grace
	// window.
	Missed int
}

// Outbox is the delivery side of the subscription store: what is due, the
// digests composed for it, and what became of every send. *db.DB
// implements it.
type Outbox interface {
	// ClaimDue writes an outbox row for every subscription of the shard
	// whose next run is at or before now (the most recent slot only, if it
	// is within grace; otherwise the slot is recorded as missed) and
	// advances its next run past now, all in one transaction.
	ClaimDue(ctx context.Context, now time.Time, grace time.Duration, shard Shard) (ClaimReport, error)
	// PendingDeliveries returns the shard's unfinished outbox rows, oldest
	// slot first.
	PendingDeliveries(ctx context.Context, shard Shard) ([]*Delivery, error)
	// Digest returns the stored digest for key. Returns ENOTFOUND.
	Digest(ctx context.Context, key DigestKey) (*StoredDigest, error)
	// SaveDigest stores the parts for key unless a digest is already stored
	// there, and returns the one that is stored: the first writer wins.
	SaveDigest(ctx context.Context, key DigestKey, parts []string) (*StoredDigest, error)
	// OpenedDM remembers the DM channel of a personal subscription.
	OpenedDM(ctx context.Context, subscriptionID int64, channelID string) error
	// RecordPart records that part n (from 0) of a delivery was posted as
	// messageID.
	RecordPart(ctx context.Context, deliveryID int64, n int, messageID string) error
	// FinishDelivery closes a delivery with its outcome (delivered, nothing
	// new, or failed) and updates the subscription's last outcome; a
	// delivered or empty slot becomes the start of the next period. A failed
	// one pauses the subscription with reason.
	FinishDelivery(ctx context.Context, deliveryID int64, outcome Outcome, reason string, now time.Time) error
	// RetryLater counts a failed attempt and keeps the delivery pending,
	// showing reason as the subscription's last outcome meanwhile.
	RetryLater(ctx context.Context, deliveryID int64, reason string, now time.Time) error
}
