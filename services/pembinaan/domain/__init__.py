"""Pembinaan's pure rules (no I/O): so far the juknis' budget calculators."""
