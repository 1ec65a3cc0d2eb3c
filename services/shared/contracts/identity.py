"""Who is calling, as every service sees it: an account, its role and, for an admin, its
satker. The token that carries it is ``services.shared.platform.identity``'s business."""
from __future__ import annotations

from dataclasses import dataclass

ROLES = ("mitra", "admin_satker", "pembina", "sekretariat", "superadmin")
ADMIN_ROLES = ("admin_satker", "superadmin")  # who works on a satker's recruitment
MITRA = ("mitra",)


@dataclass(frozen=True)
class Identity:
    account_id: str
    role: str
    satker_code: str | None = None

    def may_act_for_satker(self, satker_code: str) -> bool:
        """Satker scope: an admin acts for its own satker only; superadmin for all."""
        if self.role == "superadmin":
            return True
        return self.role == "admin_satker" and self.satker_code == satker_code
