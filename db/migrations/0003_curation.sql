-- Moderation: drafts, audit log, guild settings, answer feedback. Filled in by the moderation work.
SELECT 1;
