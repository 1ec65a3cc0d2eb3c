"""Pembinaan's tables, the queries over them, and its unit of work."""
