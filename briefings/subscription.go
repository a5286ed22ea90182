package briefings

// Subscriptions stores digest subscriptions and their deliveries.
type Subscriptions interface{}
