"""Assessment's pure rules (no I/O): who may book a test session, which administrative decision
is the current one."""
