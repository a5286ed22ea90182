package briefings

// Curator stores what moderators do beyond saving briefings: drafts, the
// audit log, guild settings and answer feedback.
type Curator interface{}
