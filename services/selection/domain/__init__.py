"""Selection's pure domain rules: eligibility checks and administrative decisions (no I/O)."""
