#!/bin/bash
# mig_faults.sh - relocation under faults (lab hsf, topo-faults.yaml; IPS inline, on_attack
# relocate). Faults are injected from outside, no hooks:
#   a) the production host's agent is killed (kill -9 of its pidfile PID) while its CRIU dump runs
#   b) the controller is killed (kill -9) while the relocation runs, then restarted (lab up)
#   c) the honeypot host is down (its host init and agent killed) before the attack
#   d) CRIU fails: the lab runs with HS_CRIU pointing at a wrapper whose `dump` exits 1 while a
#      flag file exists
# In each case: the attacker ends up blocked (a curl from it fails; production's access log shows
# no attacker request after the fault), the benign client hammering production sees zero errors,
# no restored process is left in the honeypot, no relocation flow (cookie 0x4d47...) is left but
# the drops, and (when the controller lived) an EVE relocation event says failed with the stage.
# Trigger: the attacker's SQL injection (IPS) by default; MIG_FAULTS_TRIGGER=operator uses
# `honeyshift shift`. MIG_FAULTS_CASES="a b c d" picks cases. Root only.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${HS_SOURCE_DIR:-$HERE/../..}
BUILD=${HS_BUILD_DIR:-$SRC/build-dev}
HS=$BUILD/src/cli/honeyshift
TOPO=$HERE/topo-faults.yaml
LAB=hsf BR=hsf-br0 S=/run/honeyshift/hsf
ATT=198.18.0.11
TRIGGER=${MIG_FAULTS_TRIGGER:-ips}
CASES=${MIG_FAULTS_CASES:-a b c d}
export HS_HOSTINIT=$BUILD/src/lab/honeyshift-hostinit HS_HONEYSHIFTD=$BUILD/src/ctl/honeyshiftd
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
ovs-vsctl --timeout=5 show >/dev/null 2>&1 || { echo "SKIP: Open vSwitch is not running"; exit 77; }
[ -x "$HS" ] || { echo "FAIL - no $HS (build first)"; exit 1; }
REAL_CRIU=${HS_CRIU:-$SRC/.deps/criu/sbin/criu}
[ -x "$REAL_CRIU" ] || { echo "SKIP: no CRIU at $REAL_CRIU (scripts/setup.sh)"; exit 77; }
TMP=$(mktemp -d /tmp/mig_faults.XXXXXX)
chmod 755 "$TMP"
fails=0
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; fails=$((fails + 1)); }
note() { echo "note - $*"; }
lab() { "$HS" lab "$@"; }
BG=()
cleanup() {
  touch "$TMP/stop"
  local p
  for p in "${BG[@]}"; do kill "$p" 2>/dev/null; done
  "$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
  rm -rf "$TMP" /dev/shm/honeyshift-$LAB-*
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CRIU wrapper: `dump` fails while $TMP/criu-fail exists; everything else is the real CRIU.
cat > "$TMP/criu" <<EOF
#!/bin/sh
if [ "\$1" = dump ] && [ -e "$TMP/criu-fail" ]; then
  echo "criu wrapper: dump fails on purpose (mig_faults.sh)" >&2
  exit 1
fi
exec "$REAL_CRIU" "\$@"
EOF
chmod 755 "$TMP/criu"

# The attacker: one keep-alive connection, a benign request, prints READY; when $TMP/go exists
# it sends an SQL injection (ips) or a plain request (operator) and waits up to 4 s for an answer.
cat > "$TMP/att.py" <<'PY'
import os, socket, sys, time
d, mode = sys.argv[1], sys.argv[2]
s = socket.create_connection(("198.18.0.80", 80), timeout=5)
def req(path):
    s.sendall(("GET %s HTTP/1.1\r\nHost: web\r\nUser-Agent: hs-fault-attacker\r\n\r\n" % path).encode())
req("/?step=benign")
print("READY", s.getsockname()[1], s.recv(65536).split(b"\r\n")[0].decode(), flush=True)
while not os.path.exists(d + "/go"):
    time.sleep(0.005)
s.settimeout(4)
req("/?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--%20" if mode == "ips" else "/?step=second")
try:
    data = s.recv(65536)
    print("ANSWER", b"1198" in data and "decoy" or b"1204" in data and "production" or repr(data[:40]), flush=True)
except Exception as e:
    print("NOANSWER", type(e).__name__, flush=True)
PY

# The fault injector: waits (up to 10 s) until the production agent's CRIU starts a dump (its
# log WATCH_DIR/<id>-dump.log appears: CRIU is running), then SIGKILLs TARGET_PID and, with
# "tree", the target's descendant processes of the same program (an agent serves each
# connection in a child process; CRIU itself is left alone). Prints "KILLED ..." or "NODUMP".
cat > "$TMP/inject.py" <<'PY'
import os, signal, sys, time
watch, target, tree = sys.argv[1], int(sys.argv[2]), len(sys.argv) > 3 and sys.argv[3] == "tree"
def logs():
    try:
        return {f for f in os.listdir(watch) if f.endswith("-dump.log")}
    except OSError:
        return set()
def stat(p):
    try:
        s = open("/proc/%s/stat" % p).read()
        return s[s.index("(") + 1:s.rindex(")")], int(s.rsplit(")", 1)[1].split()[1])
    except Exception:
        return None, 0
def kids(p):
    out = []
    try:
        for t in os.listdir("/proc/%d/task" % p):
            with open("/proc/%d/task/%s/children" % (p, t)) as f:
                out += [int(c) for c in f.read().split()]
    except (OSError, ValueError):
        pass
    return out
def family(root):
    """root and its descendants running the same program, from /proc/PID/task/*/children
    (about 1 ms; the whole /proc took 10-30 ms on the loaded machine, long enough for a dump
    with streamed images to end before the kill)."""
    name = stat(root)[0]
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(c for c in kids(p) if stat(c)[0] == name)
    return sorted(out)
before = logs()
print("READY", flush=True)
end = time.time() + 10
# the family is scanned ahead of time (the dump, with the images streamed meanwhile, may be
# over a few ms after CRIU's log appears): killed at once, then rescanned for new ones
snap, snapped = [], 0.0
while time.time() < end:
    new = logs() - before
    if new:
        victims = snap if tree else [target]
        for v in victims + (family(target) if tree else []):
            try:
                os.kill(v, signal.SIGKILL)
            except ProcessLookupError:
                pass
        victims = sorted(set(victims + (family(target) if tree else [])))
        print("KILLED %.3f pids %s during %s" % (time.time(), victims, sorted(new)[0]), flush=True)
        sys.exit(0)
    if tree and time.time() - snapped > 0.005:
        snap, snapped = family(target), time.time()
        continue
    time.sleep(0.001)
print("NODUMP", flush=True)
PY

pidof_file() { local p; p=$(cat "$1" 2>/dev/null) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null && echo "$p"; }
reloc_flows() { ovs-ofctl -O OpenFlow13 dump-flows $BR cookie=0x4d47000000000000/0xffff000000000000 2>/dev/null | grep cookie=; }
events() { grep '"event_type":"relocation"' "$S/eve.json" 2>/dev/null; }
# processes visible in the honeypot's PID namespace (nested namespaces included), ps excluded
hp_procs() { lab exec --lab $LAB honeypot -- ps -e -o pid=,args= 2>/dev/null | grep -v ' ps -e' | sort; }
attacker_curl() { lab exec --lab $LAB attacker -- curl -s -m 2 -o /dev/null -w '%{http_code}' -A hs-fault-attacker http://web/ 2>/dev/null; }
access_from_attacker() { grep -c "^$ATT " "$S/hosts/web/log/access.log" 2>/dev/null; }

# lab up completes what is missing (controller, agents, hosts); agents get the CRIU wrapper.
# Tried three times: on a loaded machine the IPS daemon may miss lab up's 15 s start limit.
lab_complete() {
  local i
  for i in 1 2 3; do
    HS_CRIU="$TMP/criu" "$HS" lab up "$TOPO" --quiet >"$TMP/labup.out" 2>&1 && return 0
    echo "lab up attempt $i: $(tail -n 2 "$TMP/labup.out" | head -n 1)"
  done
  return 1
}

"$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
lab_complete || { echo "FAIL - lab up"; exit 1; }
ok "lab $LAB up (agents with the CRIU wrapper), trigger $TRIGGER"

# run_case NAME: the fault is set up by pre_NAME (before the attack) and/or injected by the
# injector (mid-relocation); post_NAME repairs what the fault broke after the checks.
run_case() {
  local c=$1 expect_stage=$2 inject_watch=${3:-} inject_target=${4:-} inject_mode=${5:-}
  echo "--- case $c"
  rm -f "$TMP/go" "$TMP/stop" "$TMP/att.out" "$TMP/inj.out" "$TMP/benign.out"
  "$HS" unshift --lab $LAB --client $ATT >/dev/null 2>&1
  code=$(attacker_curl)
  [ "$code" = 200 ] || { bad "$c: the attacker cannot reach web before the case ($code)"; return; }
  local hp_before; hp_before=$(hp_procs | wc -l)
  local nests_before; nests_before=$(ls "$S/mig/honeypot" 2>/dev/null | grep -c '^nest-')
  [ "$nests_before" = 0 ] || bad "$c: $nests_before nest(s) in the honeypot before the case"
  type "pre_$c" >/dev/null 2>&1 && "pre_$c"
  # benign client: curl loop until $TMP/stop exists
  lab exec --lab $LAB client -- sh -c "n=0; e=0; while [ ! -e $TMP/stop ]; do n=\$((n+1)); \
    curl -s -m 2 -o /dev/null -w '%{http_code}\n' http://web/ | grep -q 200 || e=\$((e+1)); sleep 0.02; done; \
    echo benign \$n \$e" > "$TMP/benign.out" 2>&1 &
  local benign=$!; BG+=("$benign")
  lab exec --lab $LAB attacker -- python3 "$TMP/att.py" "$TMP" "$TRIGGER" > "$TMP/att.out" 2>&1 &
  local att=$!; BG+=("$att")
  for _ in $(seq 100); do grep -q READY "$TMP/att.out" && break; sleep 0.05; done
  local port; port=$(awk '/^READY/{print $2}' "$TMP/att.out")
  [ -n "$port" ] || { bad "$c: attacker did not connect: $(cat "$TMP/att.out")"; touch "$TMP/stop"; wait "$benign"; return; }
  local n_ev; n_ev=$(events | wc -l)
  local inj=
  if [ -n "$inject_target" ]; then
    python3 "$TMP/inject.py" "$inject_watch" "$inject_target" $inject_mode > "$TMP/inj.out" 2>&1 &
    inj=$!; BG+=("$inj")
    for _ in $(seq 200); do grep -q READY "$TMP/inj.out" && break; sleep 0.05; done
  fi
  local log_mark; log_mark=$(wc -l < "$S/hosts/web/log/access.log")
  local shiftpid=
  if [ "$TRIGGER" = operator ]; then
    "$HS" shift --lab $LAB --client $ATT:"$port" --json > "$TMP/shift.out" 2>&1 &
    shiftpid=$!; BG+=("$shiftpid")
    # the request goes out once the drops are on the switch (else production answers it)
    for _ in $(seq 100); do
      ovs-ofctl -O OpenFlow13 dump-flows $BR cookie=0x4d47000100000000/0xffffffff00000000 2>/dev/null | grep -q cookie= && break
      kill -0 "$shiftpid" 2>/dev/null || break
      sleep 0.02
    done
  fi
  touch "$TMP/go"
  wait "$att"
  [ -n "$inj" ] && { wait "$inj"; grep -v READY "$TMP/inj.out"; grep -q KILLED "$TMP/inj.out" || bad "$c: the fault was not injected mid-dump: $(cat "$TMP/inj.out")"; }
  [ -n "$shiftpid" ] && { wait "$shiftpid"; note "$c: shift: $(tail -c 300 "$TMP/shift.out")"; }
  # the relocation's deadline (2 s) and roll-back (up to ~5 s) end before the checks
  sleep 3
  type "mid_$c" >/dev/null 2>&1 && "mid_$c"
  sleep 1
  note "$c: attacker: $(tail -n 1 "$TMP/att.out")"
  grep -q "ANSWER decoy" "$TMP/att.out" && bad "$c: the attacker was relocated despite the fault"

  # 1. the attacker is blocked
  code=$(attacker_curl)
  [ "$code" != 200 ] && ok "$c: attacker blocked (curl: ${code:-none})" || bad "$c: attacker reaches production (HTTP $code)"
  local after; after=$(tail -n +$((log_mark + 1)) "$S/hosts/web/log/access.log" | grep -c "^$ATT ")
  [ "$after" = 0 ] && ok "$c: production logged no attacker request after the fault" \
    || bad "$c: production logged $after attacker request(s) after the fault: $(tail -n +$((log_mark + 1)) "$S/hosts/web/log/access.log" | grep "^$ATT " | head -2)"
  # 2. production kept serving the benign client
  touch "$TMP/stop"; wait "$benign"
  read -r _ n e < <(grep '^benign' "$TMP/benign.out")
  [ "${n:-0}" -gt 0 ] && [ "${e:-1}" = 0 ] && ok "$c: benign client $n requests, 0 errors" || bad "$c: benign client: $(cat "$TMP/benign.out")"
  # 3. nothing restored left in the honeypot
  local hp_after; hp_after=$(hp_procs | wc -l)
  if [ "$c" = c ]; then
    ok "$c: honeypot host down (no processes to check)"
  elif [ "$hp_after" -le "$hp_before" ]; then
    ok "$c: no restored process in the honeypot ($hp_after processes, $hp_before before)"
  else
    bad "$c: honeypot runs $hp_after processes, $hp_before before: $(hp_procs | tr '\n' ';')"
  fi
  local nests; nests=$(ls "$S/mig/honeypot" 2>/dev/null | grep -c '^nest-')
  [ "$nests" = 0 ] && ok "$c: no nest left in the honeypot agent's state" || bad "$c: $nests nest(s) left"
  # 4. only the drops are left of the relocation's flows
  local fl; fl=$(reloc_flows)
  if [ -n "$fl" ] && ! echo "$fl" | grep -qv 'actions=drop'; then
    ok "$c: only drop flows left ($(echo "$fl" | wc -l))"
  elif [ -z "$fl" ]; then
    note "$c: no relocation drop flow (the block may be the controller's own IPS drop)"
  else
    bad "$c: relocation flows other than drops left: $(echo "$fl" | grep -v 'actions=drop' | sed 's/duration=[^,]*,//' | head -3)"
  fi
  note "$c: flows of the attacker now: $(ovs-ofctl -O OpenFlow13 dump-flows $BR 2>/dev/null | grep "$ATT" | sed -E 's/ *(duration|n_packets|n_bytes|idle_age|hard_age)=[^,]*,//g' | tr '\n' ';' | head -c 600)"
  # 5. the event
  if [ "$c" = b ]; then
    local ev; ev=$(events | tail -n +$((n_ev + 1)) | tail -n 1)
    note "$c: relocation event after the controller restart: ${ev:-none}"
  else
    local ev; ev=$(events | tail -n +$((n_ev + 1)) | tail -n 1)
    if [ -z "$ev" ]; then
      bad "$c: no relocation event"
    else
      local outcome stage
      outcome=$(echo "$ev" | python3 -c 'import json,sys; r=json.load(sys.stdin)["relocation"]; print(r.get("outcome",""), r.get("stage",""), r.get("attacker_action",""))')
      read -r o st aa <<<"$outcome"
      [ "$o" = failed ] && [ -n "$st" ] && ok "$c: event outcome failed at stage $st (attacker ${aa:-?})" \
        || bad "$c: event: $(echo "$ev" | head -c 400)"
      [ -z "$expect_stage" ] || [ "$st" = "$expect_stage" ] || note "$c: stage $st (expected $expect_stage)"
    fi
  fi
  type "post_$c" >/dev/null 2>&1 && "post_$c"
  local imgs; imgs=$(find /dev/shm/honeyshift-$LAB-* -mindepth 1 -maxdepth 1 2>/dev/null | head -3 | tr "\n" " ")
  [ -z "$imgs" ] || note "$c: images left in /dev/shm: $imgs"
}

web_agent() { pidof_file "$S/hosts/web/agent.pid"; }
for c in $CASES; do
  case $c in
    a)
      post_a() { lab_complete && [ -n "$(web_agent)" ] && ok "a: agent restarted" || bad "a: agent not restarted"; }
      A=$(web_agent); [ -n "$A" ] || { bad "a: no agent of web"; continue; }
      run_case a dump "$S/mig/web" "$A" tree ;;
    b)
      mid_b() { lab_complete && ok "b: controller restarted (lab up)" || bad "b: controller restart failed"; }
      A=$(web_agent); C=$(pidof_file "$S/honeyshiftd.pid")
      [ -n "$A" ] && [ -n "$C" ] || { bad "b: agent ($A) or controller ($C) not running"; continue; }
      run_case b "" "$S/mig/web" "$C" ;;
    c)
      pre_c() {
        local i h
        h=$(pidof_file "$S/hosts/honeypot/agent.pid") && kill -9 "$h"
        i=$(pidof_file "$S/hosts/honeypot/init.pid") && kill -9 "$i"
        sleep 0.5
      }
      post_c() { lab_complete && ok "c: honeypot host back (lab up)" || bad "c: honeypot not restored"; }
      run_case c "" ;;
    d)
      touch "$TMP/criu-fail"
      run_case d dump
      rm -f "$TMP/criu-fail" ;;
    *) bad "unknown case $c" ;;
  esac
done

"$HS" unshift --lab $LAB --client $ATT >/dev/null 2>&1
"$HS" lab down "$TOPO" --quiet >/dev/null 2>&1
left=$(ip netns list | grep -c "^$LAB-")
[ "$left" = 0 ] && ! ovs-vsctl br-exists $BR && ok "nothing left after lab down" || bad "left after lab down: netns=$left"
[ "$fails" = 0 ] && echo "PASS" || echo "FAILED: $fails"
exit $((fails > 0))
