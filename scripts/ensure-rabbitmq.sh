#!/usr/bin/env bash
# Make sure a RabbitMQ broker answers at $AMQP_URI.
#  - already answering: only try to enable the management plugin (local host only).
#  - local host, not answering: install rabbitmq-server from the distribution if
#    missing, enable the management plugin, start the broker and wait for it.
#  - remote host, not answering: fail.
# Works without systemd; meant to run as root (uses sudo otherwise, if present).
set -euo pipefail

AMQP_URI="${AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/}"
WAIT_SECONDS="${RABBITMQ_WAIT_SECONDS:-120}"
MGMT_PORT="${RABBITMQ_MANAGEMENT_PORT:-15672}"

SCRIPT_NAME=ensure-rabbitmq
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# host and port from the URI (python3 is the one thing we can count on).
read -r HOST PORT < <(python3 - "$AMQP_URI" <<'EOF'
import sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
print(u.hostname or "127.0.0.1", u.port or (5671 if u.scheme == "amqps" else 5672))
EOF
) || die "cannot parse AMQP_URI=$AMQP_URI"

case "$HOST" in
    localhost|127.*|::1|0.0.0.0) LOCAL=1 ;;
    *) LOCAL=0 ;;
esac

enable_management() {
    [ "$LOCAL" = 1 ] || return 0
    command -v rabbitmq-plugins >/dev/null 2>&1 || return 0
    if tcp_ok "$HOST" "$MGMT_PORT"; then return 0; fi   # already on
    log "enabling rabbitmq_management"
    if as_root timeout 120 rabbitmq-plugins -q enable rabbitmq_management >/dev/null 2>&1; then
        log "rabbitmq_management enabled (http://$HOST:$MGMT_PORT/)"
    else
        log "WARNING: could not enable rabbitmq_management; continuing without it"
    fi
    return 0
}

node_running() {
    timeout 30 rabbitmqctl -q status >/dev/null 2>&1
}

if tcp_ok "$HOST" "$PORT"; then
    enable_management
    exit 0
fi

[ "$LOCAL" = 1 ] || die "RabbitMQ at $HOST:$PORT does not answer and is not local; start it or fix AMQP_URI"

if ! command -v rabbitmq-server >/dev/null 2>&1; then
    log "installing rabbitmq-server from the distribution's packages"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends rabbitmq-server
    command -v rabbitmq-server >/dev/null 2>&1 || die "rabbitmq-server still not on PATH after install"
fi

if ! tcp_ok "$HOST" "$PORT" && ! node_running; then
    as_root rabbitmq-plugins enable --offline rabbitmq_management >/dev/null 2>&1 \
        || log "WARNING: could not enable rabbitmq_management offline"
    log "starting rabbitmq-server"
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 \
        && systemctl cat rabbitmq-server.service >/dev/null 2>&1; then
        as_root systemctl start rabbitmq-server.service \
            || log "WARNING: systemctl start rabbitmq-server failed; waiting anyway"
    else
        as_root rabbitmq-server -detached \
            || log "WARNING: rabbitmq-server -detached failed; waiting anyway"
    fi
fi

log "waiting up to ${WAIT_SECONDS}s for RabbitMQ on $HOST:$PORT"
deadline=$((SECONDS + WAIT_SECONDS))
until tcp_ok "$HOST" "$PORT" && timeout 30 rabbitmqctl -q await_startup >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        die "RabbitMQ did not come up on $HOST:$PORT within ${WAIT_SECONDS}s (see /var/log/rabbitmq/)"
    fi
    sleep 1
done
log "RabbitMQ is up on $HOST:$PORT"
enable_management
