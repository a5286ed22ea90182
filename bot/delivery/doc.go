// Package delivery posts what briefbot sends without being asked: digests
// of subscribed topics (the Deliverer, paced with golang.org/x/time/rate so
// a fan-out never meets Discord's global limit), the feed poller's review
// cards (FeedCards), and the cron trigger that runs both (Scheduler).
package delivery
