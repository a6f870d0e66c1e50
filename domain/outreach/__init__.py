"""Messages we send on our own initiative: the outbox (recorded first, delivered by a job through a
channel's ``Sender``) and the notifier (which channel reaches the worker now)."""
