"""The dispatcher: signed webhook deliveries of domain events to each organisation's subscriptions."""
