#!/usr/bin/env bash
# cli_bench.sh HONEYSHIFT - "honeyshift bench" option handling without a lab: help, usage
# errors and their exit codes (2), all rejected before anything is built (no root needed).
set -u
hs=$(realpath "$1")
failures=0

# check NAME WANT_RC STDOUT_OR_STDERR_SUBSTRING ARGS...
check() {
    local name=$1 want_rc=$2 want=$3
    shift 3
    local out rc
    out=$("$hs" "$@" 2>&1); rc=$?
    if [ "$rc" != "$want_rc" ]; then
        echo "FAIL $name: exit $rc, want $want_rc (output: $(printf '%s' "$out" | head -c 300))"
        failures=$((failures + 1)); return
    fi
    if [[ "$out" != *"$want"* ]]; then
        echo "FAIL $name: output lacks '$want': $(printf '%s' "$out" | head -c 300)"
        failures=$((failures + 1)); return
    fi
    echo "ok   $name"
}

check help 0 "SYNOPSIS" bench relocation --help
check help-top 0 "honeyshift bench relocation" bench --help
check listed 0 "bench" --help
check no-sub 2 "usage: honeyshift bench relocation" bench
check bad-sub 2 "usage: honeyshift bench relocation" bench nothing
check no-service 2 "need --service" bench relocation --runs 3
check bad-service 2 "need --service" bench relocation --service redis --runs 3
check no-runs 2 "need --service" bench relocation --service nginx
check zero-runs 2 "--runs: need 1..10000" bench relocation --service nginx --runs 0
check many-runs 2 "--runs: need 1..10000" bench relocation --service nginx --runs 10001
check bad-trigger 2 "--trigger: ips or operator" bench relocation --service nginx --runs 1 --trigger x
check bad-rate 2 "--rate: need 1..1000" bench relocation --service nginx --runs 1 --rate 0
check nan-rate 2 "--rate" bench relocation --service nginx --runs 1 --rate nan
check bad-idle 2 "--idle" bench relocation --service nginx --runs 1 --idle 0.1x
check bad-port 2 "--port" bench relocation --service nginx --runs 1 --port 70000
check long-lab 2 "--lab: 1 to 4 characters" bench relocation --service nginx --runs 1 --lab hsbr2
check bad-lab 2 "--lab" bench relocation --service nginx --runs 1 --lab HS
check extra-arg 2 "need --service" bench relocation --service nginx --runs 1 extra

[ "$failures" = 0 ] && echo "PASS" || echo "FAILED: $failures"
exit $((failures > 0))
