"""Domain errors: a rule refused what was asked. Pure Python, no transport names.

Every refusal is one of a few kinds, named for what the caller did wrong, not for a protocol;
each service's ``domain/errors.py`` names its own refusals as subclasses (``QuotaFull`` is a
``Conflict``, ``DocumentTooLarge`` is a ``TooLarge``). How a kind travels over gRPC and
answers over HTTP is decided once, in ``services.shared.platform.problems``.
"""
from __future__ import annotations

import re


class DomainError(Exception):
    """Base of every refusal; ``detail`` is for the caller, ``errors`` maps fields to
    messages."""

    detail = "The request was refused."

    def __init__(self, detail: str | None = None, errors: dict | None = None):
        self.detail = detail or type(self).detail
        self.errors = errors or None
        super().__init__(self.detail)

    @classmethod
    def code(cls) -> str:
        """The refusal's stable name for clients: ``QuotaFull`` -> ``quota_full``."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


class Malformed(DomainError):
    """The request cannot be read at all (not JSON, an unusable token)."""

    detail = "The request is malformed."


class NotAuthenticated(DomainError):
    detail = "Sign in first."


class NotPermitted(DomainError):
    detail = "You may not do this."


class NotFound(DomainError):
    detail = "Nothing has this id."


class Conflict(DomainError):
    """Refused by the current state: a duplicate, a closed window, a full quota."""

    detail = "This conflicts with the current state."


class TooLarge(DomainError):
    detail = "The content is larger than allowed."


class UnsupportedContent(DomainError):
    detail = "This kind of content is not accepted."


class InvalidInput(DomainError):
    """Well-formed but invalid: ``errors`` maps each field to its messages."""

    detail = "The request is not valid."

    def __init__(self, errors: dict, detail: str | None = None):
        super().__init__(detail, errors)


# The kinds above, in the order a reader meets them; ``problems`` maps each.
KINDS: tuple[type[DomainError], ...] = (
    Malformed, NotAuthenticated, NotPermitted, NotFound, Conflict, TooLarge,
    UnsupportedContent, InvalidInput,
)


class NotInScope(NotPermitted):
    """Satker scope: an admin acts for its own satker's data only."""

    detail = "This belongs to another satker."
