# lib.sh - shared helpers of honeyshift's integration tests (bash; source it).
#
#   . "$(dirname "$0")/lib.sh"
#   hs_require_root; hs_init            # HS_BIN, HS_CTLD, HS_SRC set; binaries checked
#   hs_step "what is checked"; hs_check "message" test-command...; hs_fail "message"
#   hs_on_exit 'honeyshift lab down ...'   # run at exit, also on failure (several allowed)
#
# Environment: HS_BUILD_DIR (meson build root), HS_SOURCE_DIR (source root); both default to
# what can be guessed from this file's location.

set -u

HS_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HS_SOURCE_DIR=${HS_SOURCE_DIR:-$(cd "$HS_LIB_DIR/../.." && pwd)}
HS_BUILD_DIR=${HS_BUILD_DIR:-$HS_SOURCE_DIR/build-dev}
HS_TEST_NAME=$(basename "$0" .sh)
HS_FAILED=0
_HS_EXIT_CMDS=()

# Messages: steps, successes, failure (failure exits non-zero at once).
hs_log()  { printf '%s: %s\n' "$HS_TEST_NAME" "$*"; }
hs_step() { printf '%s: --- %s\n' "$HS_TEST_NAME" "$*"; }
hs_ok()   { printf '%s:   ok: %s\n' "$HS_TEST_NAME" "$*"; }
hs_skip() { printf '%s:   SKIPPED: %s\n' "$HS_TEST_NAME" "$*"; }
hs_fail() {
  printf '%s: FAIL: %s\n' "$HS_TEST_NAME" "$*" >&2
  HS_FAILED=1
  exit 1
}

# hs_check MESSAGE CMD...: run CMD; ok when it succeeds, else fail with MESSAGE.
hs_check() {
  local msg=$1; shift
  if "$@"; then hs_ok "$msg"; else hs_fail "$msg (command: $*)"; fi
}
# hs_check_not MESSAGE CMD...: ok when CMD fails.
hs_check_not() {
  local msg=$1; shift
  if "$@"; then hs_fail "$msg (command unexpectedly succeeded: $*)"; else hs_ok "$msg"; fi
}
# hs_expect_eq MESSAGE EXPECTED ACTUAL
hs_expect_eq() {
  if [ "$2" = "$3" ]; then hs_ok "$1 ($3)"; else hs_fail "$1: expected '$2', got '$3'"; fi
}
# hs_expect_contains MESSAGE NEEDLE HAYSTACK
hs_expect_contains() {
  case "$3" in
    *"$2"*) hs_ok "$1" ;;
    *) hs_fail "$1: '$2' not found in: $(printf '%s' "$3" | head -c 400)" ;;
  esac
}

# Commands run at exit (in order of registration), whatever the outcome.
hs_on_exit() { _HS_EXIT_CMDS+=("$1"); }
_hs_exit() {
  local rc=$?
  trap - EXIT INT TERM
  local c
  for c in "${_HS_EXIT_CMDS[@]}"; do
    hs_log "cleanup: $c"
    eval "$c" >/dev/null 2>&1 || hs_log "cleanup command failed: $c"
  done
  if [ $rc -eq 0 ]; then hs_log "PASS"; else hs_log "FAILED (exit $rc)"; fi
  exit $rc
}
trap _hs_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

hs_require_root() {
  [ "$(id -u)" -eq 0 ] || { hs_log "SKIP: needs root"; exit 77; }
}

# Locate the binaries; exits 77 (skip) when OVS is not running.
hs_init() {
  HS_BIN=$HS_BUILD_DIR/src/cli/honeyshift
  HS_CTLD=$HS_BUILD_DIR/src/ctl/honeyshiftd
  HS_HOSTINIT=$HS_BUILD_DIR/src/lab/honeyshift-hostinit
  [ -x "$HS_BIN" ] || hs_fail "no $HS_BIN (build first)"
  export HS_HOSTINIT
  if [ -x "$HS_CTLD" ]; then export HS_HONEYSHIFTD=$HS_CTLD; fi
  ovs-vsctl --timeout=5 show >/dev/null 2>&1 || { hs_log "SKIP: Open vSwitch is not running (scripts/setup.sh starts it)"; exit 77; }
}

# True when the controller is not used (HS_NO_CONTROLLER=1, or honeyshiftd not built yet:
# then HS_NO_CONTROLLER is exported so the lab does not try to start it).
hs_no_controller() {
  case "${HS_NO_CONTROLLER:-}" in ''|0) ;; *) return 0 ;; esac
  if [ ! -x "${HS_CTLD:-/nonexistent}" ]; then
    export HS_NO_CONTROLLER=1
    return 0
  fi
  return 1
}

# Process checks that treat zombies as dead (this machine's PID 1 does not reap orphans).
hs_pid_alive() {
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
hs_wait_dead() {  # PID [SECONDS]
  local i n=$(( ${2:-5} * 10 ))
  for ((i = 0; i < n; i++)); do hs_pid_alive "$1" || return 0; sleep 0.1; done
  return 1
}
# hs_retry SECONDS CMD...: run CMD until it succeeds (every 0.2 s) or time runs out.
hs_retry() {
  local secs=$1; shift
  local end=$(( $(date +%s%N) + secs * 1000000000 ))
  until "$@"; do
    [ "$(date +%s%N)" -lt "$end" ] || return 1
    sleep 0.2
  done
}

# Leftovers of a lab by name: prints them, returns 0 when there are none.
hs_lab_leftovers() {  # LAB [BRIDGE...]
  local lab=$1; shift
  local found=0 b
  if ls /run/netns 2>/dev/null | grep -q "^$lab-"; then
    echo "netns: $(ls /run/netns | grep "^$lab-" | tr '\n' ' ')"; found=1
  fi
  if ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -q "^$lab-"; then
    echo "links: $(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep "^$lab-" | tr '\n' ' ')"; found=1
  fi
  for b in "$@"; do
    if ovs-vsctl --timeout=5 br-exists "$b" 2>/dev/null; then echo "bridge: $b"; found=1; fi
  done
  if pgrep -f -- "honeyshift-hostinit --lab $lab " >/dev/null 2>&1; then
    echo "hostinit processes: $(pgrep -f -- "honeyshift-hostinit --lab $lab " | tr '\n' ' ')"; found=1
  fi
  [ $found -eq 0 ]
}
