# Helpers the ensure-*.sh scripts share; source it after setting SCRIPT_NAME.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

log() { echo "$SCRIPT_NAME: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "need root to run: $*"; fi
}

tcp_ok() { # host port: something answers there
    python3 - "$1" "$2" <<'PY' >/dev/null 2>&1
import socket, sys
socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()
PY
}
