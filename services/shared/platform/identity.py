"""Who is calling: a signed JWT issued by registration, checked by the gateway and again by
every service (it travels in the gRPC metadata key ``authorization``).

A token's lifetime is capped when it is read, not only when it is made: a token whose
``exp`` lies further after its ``iat`` than the longest lifetime this system issues
(``JWT_TTL_SECONDS`` for people, ``SERVICE_TOKEN_TTL_DAYS`` for service tokens) is refused
even when well signed. The ``ver`` claim is the account's token version at issue; whether it
is still current is ``services.shared.platform.token_state``'s business."""
from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta

import jwt

from services.shared.contracts.errors import Malformed, NotAuthenticated
from services.shared.contracts.identity import SERVICE, TOKEN_ROLES, Identity
from services.shared.platform import config
from services.shared.platform.database import utcnow

ISSUER = "bps-mitra"
_ALGORITHM = "HS256"


def issue_token(identity: Identity, ttl_seconds: int | None = None) -> tuple[str, int]:
    ttl = ttl_seconds or config.jwt_ttl_seconds()
    now = utcnow()
    claims = {"sub": identity.account_id, "role": identity.role,
              "satker_code": identity.satker_code, "iss": ISSUER,
              "iat": now, "exp": now + timedelta(seconds=ttl),
              "ver": identity.token_version}
    return jwt.encode(claims, config.jwt_secret(), algorithm=_ALGORITHM), ttl


def max_lifetime_seconds(role: str) -> float:
    """The longest lifetime a token of ``role`` is issued with, plus the clock leeway."""
    ttl = (config.service_token_ttl_days() * 86400 if role == SERVICE
           else config.jwt_ttl_seconds())
    return ttl + config.jwt_leeway_seconds()


# Tokens already verified here, by (secret, token): the gateway and then a service read the
# same token on every request of a signed-in caller, and the signature and claims parsing
# are most of that work. A hit checks again, with the settings and clock of now, everything
# that can change for one token: ``exp``, ``iat`` and ``nbf`` against the leeway and the
# lifetime cap; the rest (signature, issuer, required claims, role) depends on the token's
# bytes and the secret alone. Only tokens that passed are kept; a full cache starts over.
VERIFIED_MAX_ENTRIES = 50_000
_verified: dict[tuple[str, str], tuple[Identity, int, int | None, int, float]] = {}


def _still_good(entry, now: float, leeway: float) -> bool:
    identity, iat, nbf, exp, lifetime = entry
    return (exp > now - leeway and iat <= now + leeway
            and (nbf is None or nbf <= now + leeway)
            and lifetime <= max_lifetime_seconds(identity.role))


def decode_token(token: str) -> Identity:
    secret, leeway = config.jwt_secret(), config.jwt_leeway_seconds()
    entry = _verified.get((secret, token))
    if entry is not None and _still_good(entry, time.time(), leeway):
        return entry[0]
    identity, entry = _decode(token, secret, leeway)
    if len(_verified) >= VERIFIED_MAX_ENTRIES:
        _verified.clear()
    _verified[(secret, token)] = entry
    return identity


def _decode(token: str, secret: str, leeway: float):
    try:
        # Pods' clocks differ by a few seconds: without leeway a token issued by a pod whose
        # clock runs ahead is "not yet valid" (iat) elsewhere for those seconds.
        claims = jwt.decode(token, secret, algorithms=[_ALGORITHM], issuer=ISSUER,
                            leeway=leeway, options={"require": ["sub", "exp", "iat", "iss"]})
    except jwt.PyJWTError as error:
        raise NotAuthenticated("The access token is not valid or has expired.") from error
    role = claims.get("role")
    if role not in TOKEN_ROLES:
        raise NotAuthenticated("The access token carries an unknown role.")
    try:
        lifetime = float(claims["exp"]) - float(claims["iat"])
        version = int(claims.get("ver", 0))
    except (TypeError, ValueError):
        raise NotAuthenticated("The access token is not valid or has expired.") from None
    if lifetime > max_lifetime_seconds(role):
        raise NotAuthenticated("The access token lives longer than any token issued here.")
    identity = Identity(account_id=str(claims["sub"]), role=role,
                        satker_code=claims.get("satker_code"), token_version=version)
    # PyJWT compares these as int(...); it has just checked that they are numbers.
    nbf = int(claims["nbf"]) if "nbf" in claims else None
    return identity, (identity, int(claims["iat"]), nbf, int(claims["exp"]), lifetime)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` value, or None if absent."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Use 'Authorization: Bearer <access_token>'.")
    return token.strip()


# -- lifting a sign-in lock by e-mail (services/gateway/limits.py) ------------------------

UNLOCK_PURPOSE = "unlock-sign-in"
UNLOCK_TTL = timedelta(hours=1)


def email_digest(email: str) -> str:
    """An e-mail address as the rate limits and unlock tokens name it (never in clear)."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def issue_unlock_token(email: str) -> str:
    """A signed, expiring token that lifts the sign-in lock of ``email``'s account once; the
    gateway makes it, registration mails it to the owner (and checks it names the address)."""
    now = utcnow()
    claims = {"sub": email_digest(email), "purpose": UNLOCK_PURPOSE, "iss": ISSUER,
              "iat": now, "exp": now + UNLOCK_TTL, "jti": secrets.token_urlsafe(12)}
    return jwt.encode(claims, config.jwt_secret(), algorithm=_ALGORITHM)


def read_unlock_token(token: str) -> tuple[str, str]:
    """(the e-mail digest, the token's id) of a good unlock token; Malformed otherwise."""
    try:
        claims = jwt.decode(token, config.jwt_secret(), algorithms=[_ALGORITHM], issuer=ISSUER,
                            leeway=config.jwt_leeway_seconds(),
                            options={"require": ["sub", "exp", "iat", "jti"]})
    except jwt.PyJWTError:
        raise Malformed("The unlock token is unknown, already used or expired.") from None
    if claims.get("purpose") != UNLOCK_PURPOSE:
        raise Malformed("The unlock token is unknown, already used or expired.")
    return str(claims["sub"]), str(claims["jti"])
