"""Status pushes to veterans: the transactional outbox, the in-app inbox, WeChat subscribe messages and
the worker that sends them; staff deadline alerts; replies to customer-service messages."""
