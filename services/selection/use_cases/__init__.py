"""Selection's use cases, one module per area; called alike by the gRPC methods and the event
handlers in ``entrypoints.py``, with the unit of work and plain values."""
