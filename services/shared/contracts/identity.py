"""Who is calling, as every service sees it: an account, its role and, for an admin, its
satker. The token that carries it is ``services.shared.platform.identity``'s business."""
from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("mitra", "admin_satker", "pembina", "sekretariat", "superadmin")  # people's accounts
ADMIN_ROLES = ("admin_satker", "superadmin")  # who works on a satker's recruitment
MITRA = ("mitra",)
# Another satker's system calling the gRPC API with a token a superadmin issued for it.
SERVICE = "service"
TOKEN_ROLES = (*ROLES, SERVICE)


@dataclass(frozen=True)
class Identity:
    account_id: str
    role: str
    satker_code: str | None = None
    # The account's token version the token was issued at (its "ver" claim): a token older
    # than the account's current version is refused. Not part of who the caller is.
    token_version: int = field(default=0, compare=False)

    def may_act_for_satker(self, satker_code: str) -> bool:
        """Satker scope: an admin acts for its own satker only; superadmin for all."""
        if self.role == "superadmin":
            return True
        return self.role == "admin_satker" and self.satker_code == satker_code
