#!/usr/bin/env bash
# cli_qod.sh HONEYSHIFT - end-to-end checks of "honeyshift qod": output, options, stdin, error
# messages and exit codes (0 ok, 1 bad input, 2 usage).
set -u
hs=$(realpath "$1")
work=$(mktemp -d /tmp/hs-qod-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0

# check NAME WANT_RC WANT_STDOUT WANT_STDERR_SUBSTRING -- ARGS... (stdin from $work/stdin)
check() {
    local name=$1 want_rc=$2 want_out=$3 want_err=$4
    shift 5
    local out err rc
    out=$("$hs" "$@" <"$work/stdin" 2>"$work/err"); rc=$?
    err=$(cat "$work/err")
    if [ "$rc" != "$want_rc" ]; then
        echo "FAIL $name: exit $rc, want $want_rc (stderr: $err)"; failures=$((failures + 1)); return
    fi
    if [ "$want_out" != "*" ] && [ "$out" != "$want_out" ]; then
        echo "FAIL $name: stdout"; echo "  got:  $out"; echo "  want: $want_out"
        failures=$((failures + 1)); return
    fi
    if [ -n "$want_err" ] && [[ "$err" != *"$want_err"* ]]; then
        echo "FAIL $name: stderr '$err' lacks '$want_err'"; failures=$((failures + 1)); return
    fi
    echo "ok   $name"
}

: >"$work/stdin"
# The --help example. latency: p = ((11+13)/2, (1+1)/2) = (12, 1), o = (20, 0), MIN 0, MAX 20,
# C = (8/20 + 1/20)/2 = 0.225; ips: {.1,.2} vs {.2}: C = 1 - 1/2 = 0.5; QoD = 1 - 0.725/2 = 0.6375.
cat >"$work/kpi.json" <<'JSON'
{"kpis": [
  {"name": "latency", "type": "series", "expected": [10, 12],
   "calculated": [12, 14], "observed": [20, 20, 20, 20]},
  {"name": "reachable_ips", "type": "set", "calculated": ["198.18.0.1", "198.18.0.2"],
   "observed": ["198.18.0.2"]}]}
JSON
check example 0 \
  '{"qod":0.63749999999999996,"kpis":[{"name":"latency","change":0.22500000000000001},{"name":"reachable_ips","change":0.5}]}' \
  '' -- qod "$work/kpi.json"
# per-feature: latency d = (1, 1), C = 1; QoD = 1 - 1.5/2 = 0.25
check per-feature 0 \
  '{"qod":0.25,"kpis":[{"name":"latency","change":1.0},{"name":"reachable_ips","change":0.5}]}' \
  '' -- qod --normalize per-feature "$work/kpi.json"
check per-feature-eq 0 \
  '{"qod":0.25,"kpis":[{"name":"latency","change":1.0},{"name":"reachable_ips","change":0.5}]}' \
  '' -- qod "$work/kpi.json" --normalize=per-feature
check global-explicit 0 '*' '' -- qod --normalize global "$work/kpi.json"

# pretty output, from stdin; identical data: change 0, QoD 1
printf '{"kpis": [{"name": "t", "type": "series", "expected": {"mean": 5, "std": 1}, "observed": [4, 6]}]}' >"$work/stdin"
check stdin-pretty 0 "$(printf '{\n  "qod": 1.0,\n  "kpis": [\n    {\n      "name": "t",\n      "change": 0.0\n    }\n  ]\n}')" \
  '' -- qod --pretty -
: >"$work/stdin"

# bad input: exit 1, message FILE:LINE:COL: PATH: problem
cat >"$work/bad.json" <<'JSON'
{"kpis": [
 {"name": "a", "type": "set", "calculated": [], "observed": []},
 {"name": "b", "observed": [1, 2, "x"], "type": "series", "expected": [1]}]}
JSON
check bad-number 1 '' "$work/bad.json:3:35: kpis[1].observed[2]: expected a number, got a string" \
  -- qod "$work/bad.json"
printf '{"kpis": []}' >"$work/stdin"
check bad-stdin 1 '' '<stdin>:1:10: kpis: no KPIs' -- qod -
: >"$work/stdin"
printf '{"kpis": [' >"$work/trunc.json"
check bad-syntax 1 '' "$work/trunc.json:1:" -- qod "$work/trunc.json"
check missing-file 1 '' "$work/nope.json: No such file or directory" -- qod "$work/nope.json"
check directory 1 '' "$work: read error" -- qod "$work"

# usage: exit 2
check no-file 2 '' 'missing FILE.json' -- qod
check two-files 2 '' 'more than one FILE' -- qod "$work/kpi.json" "$work/kpi.json"
check bad-mode 2 '' "--normalize must be 'global' or 'per-feature', not 'local'" -- qod --normalize local "$work/kpi.json"
check bad-option 2 '' "unknown option or missing argument: '--frobnicate'" -- qod --frobnicate "$work/kpi.json"
check no-mode 2 '' "missing argument" -- qod "$work/kpi.json" --normalize

# help: exit 0, all sections
help=$("$hs" qod --help); rc=$?
before=$failures
for section in SYNOPSIS 'honeyshift qod [--pretty]' DESCRIPTION OPTIONS INPUT FORMULAS EXAMPLE 'EXIT STATUS' \
               'equal or not' 'population standard deviation'; do
    if [ $rc != 0 ] || [[ "$help" != *"$section"* ]]; then
        echo "FAIL help: rc $rc or no '$section'"; failures=$((failures + 1))
    fi
done
[ $failures = $before ] && echo "ok   help"
# the help's example output is what the command really prints for the help's example input
help_in=$(printf '%s\n' "$help" | sed -n '/^  \$ cat kpi.json$/,/^  \$ honeyshift/p' | sed '1d;$d;s/^  //')
help_out=$(printf '%s\n' "$help" | sed -n '/^  \$ honeyshift qod --pretty kpi.json$/,/^  latency: p/p' | sed '1d;$d;s/^  //')
printf '%s\n' "$help_in" >"$work/help.json"
check help-example 0 "$help_out" '' -- qod --pretty "$work/help.json"
help_err=$(printf '%s\n' "$help" | grep -o 'kpi.json:3:35: .*')
cp "$work/bad.json" "$work/kpi.json"
(cd "$work" && "$hs" qod kpi.json 2>"$work/err2"); [ $? = 1 ] && [ "$(cat "$work/err2")" = "$help_err" ] \
  && echo "ok   help-error-example" \
  || { echo "FAIL help-error-example: $(cat "$work/err2") vs $help_err"; failures=$((failures + 1)); }

[ $failures = 0 ] || { echo "$failures failure(s)"; exit 1; }
