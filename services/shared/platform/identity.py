"""Who is calling: a signed JWT issued by registration, checked by the gateway and again by
every service (it travels in the gRPC metadata key ``authorization``)."""
from __future__ import annotations

from datetime import timedelta

import jwt

from services.shared.contracts.errors import NotAuthenticated
from services.shared.contracts.identity import ROLES, Identity
from services.shared.platform import config
from services.shared.platform.database import utcnow

ISSUER = "bps-mitra"
_ALGORITHM = "HS256"


def issue_token(identity: Identity, ttl_seconds: int | None = None) -> tuple[str, int]:
    ttl = ttl_seconds or config.jwt_ttl_seconds()
    now = utcnow()
    claims = {"sub": identity.account_id, "role": identity.role,
              "satker_code": identity.satker_code, "iss": ISSUER,
              "iat": now, "exp": now + timedelta(seconds=ttl)}
    return jwt.encode(claims, config.jwt_secret(), algorithm=_ALGORITHM), ttl


def decode_token(token: str) -> Identity:
    try:
        # Pods' clocks differ by a few seconds: without leeway a token issued by a pod whose
        # clock runs ahead is "not yet valid" (iat) elsewhere for those seconds.
        claims = jwt.decode(token, config.jwt_secret(), algorithms=[_ALGORITHM], issuer=ISSUER,
                            leeway=config.jwt_leeway_seconds(),
                            options={"require": ["sub", "exp", "iat", "iss"]})
    except jwt.PyJWTError as error:
        raise NotAuthenticated("The access token is not valid or has expired.") from error
    if claims.get("role") not in ROLES:
        raise NotAuthenticated("The access token carries an unknown role.")
    return Identity(account_id=str(claims["sub"]), role=claims["role"],
                    satker_code=claims.get("satker_code"))


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` value, or None if absent."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Use 'Authorization: Bearer <access_token>'.")
    return token.strip()
