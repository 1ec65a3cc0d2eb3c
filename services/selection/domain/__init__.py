"""Selection's pure domain: eligibility checks, administrative decisions, the values it keeps
and its refusals (no I/O)."""
