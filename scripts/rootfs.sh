#!/usr/bin/env bash
# rootfs.sh - build (once, cached) the Debian bookworm root file systems of the Sandnet
# containers, without a registry: debootstrap --variant=minbase plus the packages a service
# needs, plus a small service layer (config, app code, /usr/local/bin/hs-service entrypoint).
#
# Usage: scripts/rootfs.sh [--quiet] [--force] [KIND...]     KIND: frontend backend database
#        (default: all three). Prints "KIND PATH" per rootfs on stdout.
# Cache: /var/cache/honeyshift/rootfs-KIND (override with HS_ROOTFS_CACHE). The stamp file in a
# rootfs records what it was built from: when the package list changed (or with --force) it is
# debootstrapped again; when only the service layer changed, the layer is re-applied in place
# (stop containers using that rootfs first: it is their overlay lower dir).
# The .deb files are shared through HS_ROOTFS_CACHE/debs, so later builds download nothing.
set -euo pipefail

CACHE=${HS_ROOTFS_CACHE:-/var/cache/honeyshift}
MIRROR=${HS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
QUIET=0
FORCE=0
KINDS=()
for a in "$@"; do
  case "$a" in
    --quiet) QUIET=1 ;;
    --force) FORCE=1 ;;
    frontend|backend|database) KINDS+=("$a") ;;
    *) echo "rootfs: unknown argument '$a'" >&2; exit 2 ;;
  esac
done
[ ${#KINDS[@]} -gt 0 ] || KINDS=(frontend backend database)
log() { [ $QUIET -eq 1 ] || echo "rootfs: $*" >&2; }
die() { echo "rootfs: error: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap)"
command -v debootstrap >/dev/null || die "debootstrap missing (scripts/setup.sh installs it)"

packages_for() {
  case "$1" in
    frontend) echo "nginx-light" ;;
    backend)  echo "python3-flask,python3-redis,gunicorn" ;;
    database) echo "redis-server" ;;
  esac
}

# ---- service layers: everything runs as root (CRIU here cannot dump other uids, see
# PLATFORM.md), logs go to /dev/null (an open, growing log file would differ in size between
# the FS-diff copy and the checkpoint, which CRIU's restore refuses), peers by group-local name
# (/etc/hosts of each container maps frontend/backend/database to its own group's members).
layer_frontend() {
  local r=$1
  cat >"$r/etc/nginx/nginx.conf" <<'EOF'
user root;
# hs-service writes /run/hs-nginx/api.conf (the /api/ proxy to "backend") only when the name
# "backend" resolves: nginx refuses to start on an unresolvable upstream.
daemon off;
worker_processes 1;
pid /run/nginx.pid;
error_log /dev/null crit;
events { worker_connections 256; }
http {
    access_log off;
    default_type text/plain;
    keepalive_timeout 600s;
    keepalive_requests 1000000;
    server {
        listen 80 default_server;
        root /srv/www;
        include /run/hs-nginx/*.conf;
    }
}
EOF
  mkdir -p "$r/srv/www"
  echo "frontend" >"$r/srv/www/index.html"
  cat >"$r/usr/local/bin/hs-service" <<'EOF'
#!/bin/sh
mkdir -p /run/hs-nginx
if getent hosts backend >/dev/null; then
    cat >/run/hs-nginx/api.conf <<'CONF'
location /api/ {
    proxy_pass http://backend:8000/;
    proxy_http_version 1.1;
}
CONF
else
    : >/run/hs-nginx/api.conf
fi
exec nginx </dev/null >/dev/null 2>&1
EOF
}

layer_backend() {
  local r=$1
  mkdir -p "$r/srv/app"
  cat >"$r/srv/app/app.py" <<'EOF'
import socket
from flask import Flask
import redis

app = Flask(__name__)
db = redis.Redis(host="database", port=6379, socket_timeout=2)

@app.route("/")
def index():
    return "backend %s hits=%d\n" % (socket.gethostname(), db.incr("hits"))

@app.route("/health")
def health():
    return "ok\n"
EOF
  cat >"$r/usr/local/bin/hs-service" <<'EOF'
#!/bin/sh
cd /srv/app || exit 1
exec gunicorn --bind 0.0.0.0:8000 --workers 1 --access-logfile - --error-logfile - app:app \
    </dev/null >/dev/null 2>&1
EOF
}

layer_database() {
  local r=$1
  cat >"$r/etc/redis/hs-redis.conf" <<'EOF'
bind 0.0.0.0
protected-mode no
port 6379
daemonize no
supervised no
logfile ""
save ""
appendonly no
dir /data
EOF
  mkdir -p "$r/data"
  cat >"$r/usr/local/bin/hs-service" <<'EOF'
#!/bin/sh
exec redis-server /etc/redis/hs-redis.conf </dev/null >/dev/null 2>&1
EOF
}

stamp_of() {   # what a rootfs of this kind is built from: packages, then the service layer
  echo "debs $(echo "bookworm minbase $(packages_for "$1")" | sha256sum | cut -d' ' -f1)"
  echo "layer $(declare -f "layer_$1" | sha256sum | cut -d' ' -f1)"
}

apply_layer() {
  "layer_$1" "$2"
  chmod 0755 "$2/usr/local/bin/hs-service"
  stamp_of "$1" >"$2/.honeyshift-rootfs"
}

build_one() {
  local kind=$1 dest="$CACHE/rootfs-$1" stamp want tmp t0
  stamp="$dest/.honeyshift-rootfs"
  want=$(stamp_of "$kind")
  if [ $FORCE -eq 0 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "$kind: cached at $dest"
    echo "$kind $dest"
    return 0
  fi
  t0=$(date +%s.%N)
  if [ $FORCE -eq 0 ] && [ -f "$stamp" ] && [ "$(head -n1 "$stamp")" = "$(echo "$want" | head -n1)" ]; then
    log "$kind: packages unchanged, re-applying the service layer"
    apply_layer "$kind" "$dest"
    echo "$kind $dest"
    return 0
  fi
  tmp="$CACHE/.rootfs-$kind.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp" "$CACHE/debs"
  log "$kind: debootstrap minbase + $(packages_for "$kind")"
  if ! debootstrap --variant=minbase --include="$(packages_for "$kind")" \
        --cache-dir="$CACHE/debs" bookworm "$tmp" "$MIRROR" >"$CACHE/rootfs-$kind.log" 2>&1; then
    tail -n 20 "$CACHE/rootfs-$kind.log" >&2
    rm -rf "$tmp"
    die "$kind: debootstrap failed (log: $CACHE/rootfs-$kind.log)"
  fi
  # trim: apt lists and caches are not needed inside a container image
  rm -rf "$tmp"/var/lib/apt/lists/* "$tmp"/var/cache/apt/*.bin "$tmp"/var/cache/apt/archives/*.deb
  apply_layer "$kind" "$tmp"
  rm -rf "$dest.old"
  if [ -d "$dest" ]; then mv "$dest" "$dest.old"; fi
  mv "$tmp" "$dest"
  rm -rf "$dest.old"
  log "$kind: built in $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N)-$t0}") s, $(du -sh "$dest" | cut -f1)"
  echo "$kind $dest"
}

T0=$(date +%s)
for k in "${KINDS[@]}"; do build_one "$k"; done
log "done in $(( $(date +%s) - T0 )) s"
