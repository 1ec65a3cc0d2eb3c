"""Settings only selection reads, from the environment (an empty variable counts as unset)."""
from __future__ import annotations

import os


def announcement_interval_seconds() -> float:
    """ANNOUNCEMENT_INTERVAL_SECONDS (1): how often the announcer looks for activities whose
    announcement time has come (one replica at a time, under a database lock). What
    candidates and the public see switches on the dot whatever this is; the mail and the
    ``results_announced`` event leave within about one interval of the time."""
    value = float(os.environ.get("ANNOUNCEMENT_INTERVAL_SECONDS") or "1")
    if not value > 0:
        raise ValueError("ANNOUNCEMENT_INTERVAL_SECONDS must be positive")
    return value
