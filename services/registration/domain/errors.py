"""Registration's refusals, each a kind of ``services.shared.contracts.errors`` (the kind
decides the gRPC and HTTP status; the class name is the ``code`` clients see)."""
from __future__ import annotations

from services.shared.contracts.errors import (
    Conflict,
    InvalidInput,
    Malformed,
    NotAuthenticated,
    NotFound,
    NotPermitted,
    TooLarge,
    UnsupportedContent,
)
from services.shared.contracts.vocabulary import DOCUMENT_KINDS

# -- accounts ---------------------------------------------------------------------------


class InvalidAccount(InvalidInput):
    """The password, name, role or satker of a new account breaks a rule."""


class EmailTaken(Conflict):
    detail = "An account with this e-mail address already exists."


class ActivationTokenInvalid(Malformed):
    detail = "The activation token is unknown, already used or expired."


class WrongCredentials(NotAuthenticated):
    detail = "The e-mail address or password is wrong."


class AccountNotActive(NotPermitted):
    detail = "Activate the account first with the token sent by e-mail."


class AccountGone(NotAuthenticated):
    detail = "This account no longer exists."


class ResetTokenInvalid(Malformed):
    detail = "The password reset token is unknown, already used or expired."


class WrongCurrentPassword(NotPermitted):
    detail = "The current password is wrong."


class ServiceTokenUnknown(NotFound):
    detail = "No service token has this id."


# -- profile and documents --------------------------------------------------------------


class InvalidProfile(InvalidInput):
    pass


class NikTaken(Conflict):
    detail = "This NIK is already registered to another account."


class ProfileMissing(NotFound):
    detail = "No profile has been filled in yet."


class RegionUnknown(NotFound):
    detail = "No province (2 digits), kabupaten/kota (4) or kecamatan (6) has this code."


class DocumentKindUnknown(NotFound):
    detail = f"Unknown document kind; use one of {', '.join(DOCUMENT_KINDS)}."


class DocumentTooLarge(TooLarge):
    def __init__(self, max_bytes: int):
        super().__init__(f"The file is larger than the limit of {max_bytes} bytes.")


class DocumentEmpty(InvalidInput):
    def __init__(self) -> None:
        super().__init__({"file": ["The file is empty."]})


class ContentTypeNotAllowed(UnsupportedContent):
    """The declared Content-Type is none of the accepted formats."""


class DocumentTypeMismatch(UnsupportedContent):
    """The bytes are not of the format the Content-Type declares."""


class PaktaIntegritasNotOpen(Conflict):
    detail = ("Pakta integritas hanya dapat diunggah setelah pengumuman oleh kandidat yang "
              "diterima sebagai mitra. / The pakta integritas can be uploaded only after the "
              "announcement, by a candidate accepted as mitra.")


class DocumentMissing(NotFound):
    detail = "This candidate has not uploaded that document."


# -- activities and applications --------------------------------------------------------


class InvalidActivity(InvalidInput):
    pass


class ActivityUnknown(NotFound):
    detail = "No activity has this id."


class QuotaBelowApplications(Conflict):
    def __init__(self, application_count: int):
        super().__init__(f"{application_count} candidates have already applied; the quota "
                         "cannot be lower.")


class RegistrationNotOpen(Conflict):
    detail = "Registration has not opened yet."


class WindowClosed(Conflict):
    detail = "Registration is closed."


class QuotaFull(Conflict):
    detail = "The quota of this activity is full."


class AlreadyApplied(Conflict):
    detail = "You have already applied to this activity."


class ApplicationIncomplete(InvalidInput):
    """``errors`` lists what is missing: profile, statements not ticked, documents."""

    def __init__(self, missing: dict[str, list[str]]):
        super().__init__(missing, "The application is not complete yet.")


class ApplicationUnknown(NotFound):
    detail = "No application has this id."
