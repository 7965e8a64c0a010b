#!/usr/bin/env bash
# test_topocheck.sh HS_TOPOCHECK TESTS_CONFIG_DIR - the checker's exit codes and output.
set -u
chk=$1 dir=$2
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$chk") || fail "built-in topology rejected"
[[ $out == "<built-in>: ok (lab hs, 1 switches, 4 hosts)" ]] || fail "unexpected output: $out"

json=$("$chk" --json "$dir/../../etc/lab-default.yaml") || fail "--json failed"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["lab"]=="hs"; assert [h["name"] for h in d["hosts"]]==["client","attacker","web","honeypot"]; assert d["hosts"][3]["twin"]=="web"' "$json" \
  || fail "bad JSON: $json"

err=$("$chk" "$dir/bad/bad-mac.yaml" 2>&1 >/dev/null); rc=$?
[[ $rc -eq 1 ]] || fail "bad file: exit $rc, want 1"
[[ $err == "$dir/bad/bad-mac.yaml:14:10: host 'web': mac 'zz:00:c6:12:00:50' is not a MAC address"* ]] \
  || fail "bad file message: $err"

"$chk" --bogus >/dev/null 2>&1; rc=$?
[[ $rc -eq 2 ]] || fail "usage: exit $rc, want 2"
echo "ok"
