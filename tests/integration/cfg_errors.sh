#!/usr/bin/env bash
# cfg_errors.sh - topology files with mistakes are rejected by the controller (--check) and by
# `honeyshift lab up` with FILE:LINE and what is wrong; nothing is created.
set -uo pipefail
B=${HS_BUILD_DIR:?} S=${HS_SOURCE_DIR:?}
D=$(mktemp -d /tmp/hs-cfg.XXXXXX)
trap 'rm -rf "$D"' EXIT
failed=0
# expect FILE_CONTENT_SED LINE PATTERN: apply a sed edit to the test topology, expect the error
expect() {
  local name=$1 edit=$2 line=$3 pattern=$4 f="$D/$1.yaml"
  sed -e "$edit" "$S/tests/integration/topo-test.yaml" > "$f"
  local out1 out2
  out1=$("$B/src/ctl/honeyshiftd" --check --config "$f" 2>&1) && { echo "FAIL $name: --check accepted it"; failed=1; return; }
  out2=$("$B/src/cli/honeyshift" lab up "$f" 2>&1) && { echo "FAIL $name: lab up accepted it"; failed=1; "$B/src/cli/honeyshift" lab down "$f" >/dev/null 2>&1; return; }
  for out in "$out1" "$out2"; do
    if ! grep -Eq "$f:${line:-[0-9]+}:" <<<"$out" || ! grep -qi -- "$pattern" <<<"$out"; then
      echo "FAIL $name: expected '$f:$line:' and '$pattern' in: $out"; failed=1; return
    fi
  done
  echo "ok   $name: $(head -n1 <<<"$out1")"
}
line_of() { grep -n -m1 -- "$1" "$S/tests/integration/topo-test.yaml" | cut -d: -f1; }

L=$(line_of "mac: 02:00:c6:12:00:0a")
expect bad-mac "${L}s/mac: .*/mac: 02:00:zz:12:00:0a/" "$L" "mac"
L=$(line_of "ip: 198.18.0.10/24")
expect bad-ip "${L}s|ip: .*|ip: 198.18.0.300/24|" "$L" "ip"
L=$(line_of "role: client")
expect bad-role "${L}s/role: client/role: boss/" "$L" "role"
L=$(line_of "port: 2")
expect dup-port "${L}s/port: 2/port: 1/" "$L" "port"
L=$(line_of "role: client")
expect unknown-key "${L}s/role: client/role: client\n    colour: blue/" "$((L + 1))" "colour"
L=$(line_of "twin: web")
expect bad-twin "${L}s/twin: web/twin: nobody/" "$L" "twin"
L=$(line_of "kind: nginx")
expect bad-kind "${L}s/kind: nginx/kind: iis/" "$L" "kind"
# YAML syntax error
L=$(line_of "role: client")
expect yaml-syntax "${L}s/role: client/role: [client/" "" "yaml\|flow\|expected\|found"

# nothing may have been created by the rejected ups
ip netns list | grep -q '^hst-' && { echo "FAIL: a rejected lab up created namespaces"; failed=1; }
ovs-vsctl br-exists hst-br0 2>/dev/null && { echo "FAIL: a rejected lab up created the bridge"; failed=1; }
[ $failed -eq 0 ] && echo "PASS cfg_errors"
exit $failed
