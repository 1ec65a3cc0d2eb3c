"""Moved to ``services.shared.requirements`` (the form is shared with selection); this keeps
the old import path working."""
from services.shared.requirements import *  # noqa: F401,F403
from services.shared.requirements import __all__  # noqa: F401
