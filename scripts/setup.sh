#!/usr/bin/env bash
# honeyshift set-up: idempotent. Installs Debian packages, builds CRIU >= 4.2 from
# Debian's source package into a project-local prefix (.deps/criu), verifies it with
# `criu check`, and starts the Open vSwitch daemons when they are not running.
# Usage: scripts/setup.sh [--quiet]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEPS="$ROOT/.deps"
QUIET=0
[ "${1:-}" = "--quiet" ] && QUIET=1
log() { [ $QUIET -eq 1 ] || echo "setup: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (namespaces, OVS, CRIU)"

PKGS=(
  # build
  build-essential meson ninja-build pkg-config clang libclang-rt-14-dev llvm
  libyaml-dev libjansson-dev libcmocka-dev libmnl-dev libpcap-dev libpcre2-dev
  libhtp-dev libhyperscan-dev libssl-dev dpkg-dev xz-utils
  # CRIU build dependencies and runtime
  libprotobuf-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler
  python3-protobuf libbsd-dev libnftables-dev libcap-dev libnl-3-dev libnet1-dev
  libaio-dev libgnutls28-dev uuid-dev iptables asciidoc-base
  # network lab
  openvswitch-switch iproute2 ethtool procps util-linux psmisc iputils-ping
  # Sandnet: OCI runtime and registry-less container images (scripts/rootfs.sh)
  runc debootstrap
  # Sandnet experiment probes and its plot (honeyshift sandnet run)
  arp-scan nmap httping python3-matplotlib
  # services and clients
  nginx-light curl wrk python3-flask gunicorn nodejs redis-server tcpdump
  # IPS detection corpora: payload lists read by bench/ips_detect.sh
  wfuzz sqlmap wapiti modsecurity-crs
  # fresh (unseen) corpora: bench/ips_corpus_fresh.py runs these scanners against a local capture server
  dirb gobuster ffuf whatweb wafw00f
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${#missing[@]} packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install failed"
  # nginx's package may start a default server on port 80 of the root namespace: stop it.
  if [ -f /run/nginx.pid ]; then kill "$(cat /run/nginx.pid)" 2>/dev/null || true; fi
else
  log "packages present"
fi

# ---- CRIU 4.2+ from Debian unstable's source package (deb-src only, never binaries)
CRIU="$DEPS/criu/sbin/criu"
criu_ok() { [ -x "$CRIU" ] && "$CRIU" --version 2>/dev/null | grep -Eq 'Version: (4\.([2-9]|[1-9][0-9])|[5-9])'; }
if ! criu_ok; then
  SRCLIST=/etc/apt/sources.list.d/honeyshift-sid-src.sources
  if ! grep -rqs 'Types: deb-src' /etc/apt/sources.list.d/*sid* 2>/dev/null; then
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: sid\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > "$SRCLIST"
    apt-get update -qq >/dev/null
  fi
  mkdir -p "$DEPS/src"
  cd "$DEPS/src"
  if ! ls criu_4.*.orig.tar.* >/dev/null 2>&1; then
    log "downloading CRIU source package"
    apt-get source --download-only --tar-only criu >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null; apt-get source --download-only --tar-only criu >/dev/null; } \
      || die "apt-get source criu failed"
  fi
  TARBALL=$(ls -v criu_*.orig.tar.* | tail -n 1)
  VER=$(echo "$TARBALL" | sed -E 's/criu_([0-9.]+)\.orig.*/\1/')
  case "$VER" in 4.[2-9]*|4.[1-9][0-9]*|[5-9].*) ;; *) die "CRIU source $VER is older than 4.2";; esac
  rm -rf "criu-$VER"
  tar xf "$TARBALL"
  log "building CRIU $VER (about a minute)"
  cd "criu-$VER"
  make -j"$(nproc)" criu >build.log 2>&1 || { tail -n 30 build.log >&2; die "CRIU build failed (see $DEPS/src/criu-$VER/build.log)"; }
  mkdir -p "$DEPS/criu/sbin"
  install -m 0755 criu/criu "$DEPS/criu/sbin/criu"
  cd "$ROOT"
fi
if ! "$CRIU" check >/dev/null 2>&1; then
  "$CRIU" check >&2 || true
  die "criu check failed"
fi
log "criu: $("$CRIU" --version | head -n1) at $CRIU (criu check: ok)"

# ---- Open vSwitch daemons (no systemd here: start them ourselves)
if ! ovs-vsctl --timeout=3 show >/dev/null 2>&1; then
  log "starting Open vSwitch"
  /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random >/dev/null 2>&1 || true
  ovs-vsctl --timeout=10 show >/dev/null 2>&1 || die "Open vSwitch did not start"
fi
log "ovs: $(ovs-vsctl --version | head -n1)"
log "ready"
