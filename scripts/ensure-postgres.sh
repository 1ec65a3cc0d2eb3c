#!/usr/bin/env bash
# Make sure PostgreSQL answers at $TEST_DATABASE_URL.
#  - already answering: nothing to do.
#  - local host, not answering: install postgresql from the distribution if
#    missing, create/start the "main" cluster, wait for it, then set the
#    role's password so TCP password (scram) auth works.
#  - remote host, not answering: fail.
# Works without systemd; meant to run as root (uses sudo otherwise, if present).
set -euo pipefail

TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgresql://postgres:postgres@127.0.0.1:5432/postgres}"
WAIT_SECONDS="${POSTGRES_WAIT_SECONDS:-120}"

SCRIPT_NAME=ensure-postgres
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# host, port, user, password from the URL (one per line; password may hold spaces).
{ read -r HOST; read -r PORT; read -r DB_USER; read -r DB_PASSWORD; } < <(python3 - "$TEST_DATABASE_URL" <<'EOF'
import sys
from urllib.parse import urlsplit, unquote
u = urlsplit(sys.argv[1])
print(u.hostname or "127.0.0.1")
print(u.port or 5432)
print(unquote(u.username or "postgres"))
print(unquote(u.password or "postgres"))
EOF
) || die "cannot parse TEST_DATABASE_URL"

if tcp_ok "$HOST" "$PORT"; then
    exit 0
fi

case "$HOST" in
    localhost|127.*|::1|0.0.0.0) ;;
    *) die "PostgreSQL at $HOST:$PORT does not answer and is not local; start it or fix TEST_DATABASE_URL" ;;
esac

newest_version() { # newest installed server version, e.g. 15
    local d v best=""
    for d in /usr/lib/postgresql/*/bin/postgres; do
        [ -x "$d" ] || continue
        v=${d#/usr/lib/postgresql/}; v=${v%%/*}
        if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "$best" "$v" | sort -V | tail -n1)" = "$v" ]; then
            best=$v
        fi
    done
    echo "$best"
}

VERSION=""
if command -v pg_ctlcluster >/dev/null 2>&1; then
    VERSION=$(newest_version)
fi
if [ -z "$VERSION" ]; then
    log "installing postgresql from the distribution's packages"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
    VERSION=$(newest_version)
    [ -n "$VERSION" ] || die "no PostgreSQL server found after installing postgresql"
fi

if [ ! -f "/etc/postgresql/$VERSION/main/postgresql.conf" ]; then
    log "creating cluster $VERSION/main on port $PORT"
    as_root pg_createcluster -p "$PORT" "$VERSION" main >/dev/null
fi

if ! as_root pg_ctlcluster "$VERSION" main status >/dev/null 2>&1; then
    log "starting cluster $VERSION/main"
    as_root pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start \
        || log "WARNING: pg_ctlcluster start failed; waiting anyway"
fi

log "waiting up to ${WAIT_SECONDS}s for PostgreSQL on $HOST:$PORT"
deadline=$((SECONDS + WAIT_SECONDS))
until pg_isready -q -h "$HOST" -p "$PORT" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        die "PostgreSQL did not come up on $HOST:$PORT within ${WAIT_SECONDS}s (see /var/log/postgresql/; is cluster $VERSION/main on port $PORT?)"
    fi
    sleep 1
done

# Fresh Debian clusters use peer auth on the socket and scram on 127.0.0.1:
# give the role the password from the URL (idempotent).
if [ "$DB_USER" = postgres ]; then
    sql_pw=${DB_PASSWORD//\'/\'\'}
    printf "ALTER USER postgres PASSWORD '%s';\n" "$sql_pw" \
        | as_root su postgres -s /bin/sh -c "psql -X -q -v ON_ERROR_STOP=1 -p $PORT -d postgres" >/dev/null \
        || die "could not set the postgres role's password"
else
    log "WARNING: URL user is '$DB_USER', not postgres; not touching role passwords"
fi
log "PostgreSQL is up on $HOST:$PORT"
