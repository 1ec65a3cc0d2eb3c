"""Pembinaan's commands and queries, one module per area; called by gRPC methods and event
handlers alike, with the service's unit of work and plain Python values."""
