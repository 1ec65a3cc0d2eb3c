"""Registration's commands and queries, one module per area. Each takes the unit of work and
plain values and returns plain values shaped like its reply; the gRPC entrypoints convert
at the edge."""
