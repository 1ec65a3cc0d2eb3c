"""The outside world assessment uses (e.g. the XLSX item-bank reader and item-analysis export,
service-only settings). None yet: so far assessment reads only its own database and events."""
