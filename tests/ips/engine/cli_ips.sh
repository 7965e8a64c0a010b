#!/bin/sh
# cli_ips.sh HONEYSHIFT - `honeyshift ips scan` (--http dir, --pcap), `ips check` and `events`.
set -eu
HS=$1
HERE=$(cd "$(dirname "$0")" && pwd)
GEN=$HERE/../../../bench/gen_http_pcap.py
T=$(mktemp -d /tmp/hs_cli_ips.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "$T/r.rules" <<'R'
drop http $EXTERNAL_NET any -> $HOME_NET any (msg:"SQLi union select"; flow:established,to_server; http.uri; content:"union"; nocase; pcre:"/union\s+select/i"; classtype:web-application-attack; sid:9001; rev:3;)
alert http $EXTERNAL_NET any -> $HOME_NET any (msg:"curl"; flow:established,to_server; http.user_agent; content:"curl/"; sid:9002;)
R
mkdir "$T/req"
printf 'GET /a?id=1%%20UNION%%20SELECT%%202 HTTP/1.1\r\nHost: x\r\n\r\n' > "$T/req/01-sqli.http"
printf 'GET /b HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/8.5\r\n\r\n' > "$T/req/02-curl.http"
printf 'GET /c?q=union+station HTTP/1.1\r\nHost: x\r\n\r\n' > "$T/req/03-benign.http"
printf 'ignored' > "$T/req/.hidden"

# --http on a directory: one line per alert, "input" names the file, in name order
"$HS" ips scan --rules "$T/r.rules" --http "$T/req" > "$T/out" || fail "scan --http exit $?"
[ "$(wc -l < "$T/out")" -eq 2 ] || { cat "$T/out"; fail "expected 2 alerts"; }
python3 - "$T" <<'PY' || fail "alert content"
import json, sys
t = sys.argv[1]
a = [json.loads(l) for l in open(t + "/out")]
assert a[0]["alert"]["signature_id"] == 9001 and a[0]["alert"]["rev"] == 3, a[0]
assert a[0]["alert"]["action"] == "blocked" and a[0]["input"] == t + "/req/01-sqli.http", a[0]
assert a[0]["event_type"] == "alert" and a[0]["proto"] == "TCP" and a[0]["app_proto"] == "http"
assert a[0]["dest_ip"] == "198.18.255.2" and a[0]["dest_port"] == 80
assert a[0]["alert"]["category"] == "Web Application Attack"
assert a[0]["http"]["url"] == "/a?id=1%20UNION%20SELECT%202", a[0]["http"]
assert a[1]["alert"]["signature_id"] == 9002 and a[1]["alert"]["action"] == "allowed"
assert a[1]["input"].endswith("02-curl.http")
PY
# a single file, and the default rule set loads
"$HS" ips scan --rules "$T/r.rules" --http "$T/req/03-benign.http" > "$T/out" || fail "single"
[ ! -s "$T/out" ] || fail "benign request alerted"
"$HS" ips scan --http "$T/req/03-benign.http" > /dev/null || fail "default rules"

# --pcap with --stats: 4 attacks in 20 requests
python3 "$GEN" "$T/p.pcap" --flows 6 --seed 7 --attack-every 5 2> /dev/null
"$HS" ips scan --rules "$T/r.rules" --pcap "$T/p.pcap" --stats > "$T/out" 2> "$T/stats" \
    || fail "scan --pcap"
n=$(grep -c '"signature_id":9001' "$T/out" || true)
req=$(awk '$1 == "http_txns" {print $2}' "$T/stats")
[ "$n" -ge 1 ] || { cat "$T/out" "$T/stats"; fail "no pcap alert"; }
[ "$req" -gt 0 ] || fail "no http transactions counted"
grep -q '^Gbit_per_s ' "$T/stats" || fail "stats"
grep -q '"timestamp":"2026-11-23T09:30:' "$T/out" || fail "pcap timestamps not used"
# an empty rule set: no alerts
"$HS" ips scan --rules /dev/null --pcap "$T/p.pcap" > "$T/out" || fail "empty rules"
[ ! -s "$T/out" ] || fail "alerts with no rules"

# errors: bad rules -> 1 with FILE:LINE, missing input -> 1, usage -> 2
printf 'alert http any any -> any any (msg:"x"; bogus; sid:1;)\n' > "$T/bad.rules"
set +e
"$HS" ips scan --rules "$T/bad.rules" --http "$T/req" > /dev/null 2> "$T/err"; rc=$?
[ $rc -eq 1 ] || fail "bad rules exit $rc"
grep -q "$T/bad.rules:1:" "$T/err" || fail "no FILE:LINE in: $(cat "$T/err")"
"$HS" ips scan --http "$T/nope" > /dev/null 2>&1; [ $? -eq 1 ] || fail "missing input"
"$HS" ips scan --pcap "$T/req/02-curl.http" > /dev/null 2>&1; [ $? -eq 1 ] || fail "not a pcap"
"$HS" ips scan > /dev/null 2>&1; [ $? -eq 2 ] || fail "usage"
"$HS" ips scan --http a --pcap b > /dev/null 2>&1; [ $? -eq 2 ] || fail "both inputs"
"$HS" ips check "$T/bad.rules" > /dev/null 2>&1; [ $? -eq 1 ] || fail "check bad"
set -e
[ "$("$HS" ips check "$T/r.rules")" = "2 rules ok" ] || fail "check ok"
"$HS" ips --help | grep -q "EXIT STATUS" || fail "help"

# events on a sample file: table, --json, filters, -n, bad lines reported with line number
"$HS" ips scan --rules "$T/r.rules" --http "$T/req" > "$T/eve.json"
echo 'this is not json' >> "$T/eve.json"
echo '{"timestamp":"2026-11-23T08:00:00.000000+0000","event_type":"relocation","src_ip":"203.0.113.9","src_port":1,"dest_ip":"198.18.0.2","dest_port":80,"relocation":{"to":"honeypot-1"}}' >> "$T/eve.json"
"$HS" events --file "$T/eve.json" > "$T/ev" 2> "$T/everr" || fail "events"
[ "$(wc -l < "$T/ev")" -eq 3 ] || { cat "$T/ev"; fail "events lines"; }
grep -q "eve.json:3:" "$T/everr" || fail "bad line not reported: $(cat "$T/everr")"
grep -q "1:9001:3" "$T/ev" || fail "table sid"
grep -q "honeypot-1" "$T/ev" || fail "relocation shown"
[ "$("$HS" events --file "$T/eve.json" --sid 9002 --json 2>/dev/null | wc -l)" -eq 1 ] || fail "--sid"
"$HS" events --file "$T/eve.json" --sid 9002 --json 2>/dev/null | python3 -c 'import json,sys; json.loads(sys.stdin.read())' || fail "--json raw"
[ "$("$HS" events --file "$T/eve.json" --type relocation 2>/dev/null | wc -l)" -eq 1 ] || fail "--type"
[ "$("$HS" events --file "$T/eve.json" --src 203.0.113.9 2>/dev/null | wc -l)" -eq 1 ] || fail "--src"
[ "$("$HS" events --file "$T/eve.json" -n 1 2>/dev/null | grep -c honeypot)" -eq 1 ] || fail "-n"
[ "$("$HS" events --file "$T/eve.json" --since 2026-11-23T08:30:00 2>/dev/null | grep -c relocation)" -eq 0 ] || fail "--since"
set +e
"$HS" events --file "$T/missing.json" > /dev/null 2>&1; [ $? -eq 1 ] || fail "missing file"
"$HS" events --since yesterday-ish > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad --since"
set -e

# follow mode: new lines appear, truncation is followed, SIGINT ends with 0
: > "$T/f.json"
"$HS" events --file "$T/f.json" -f --json > "$T/fout" 2> /dev/null &
pid=$!
sleep 0.5
head -n 1 "$T/eve.json" >> "$T/f.json"
sleep 0.6
: > "$T/f.json"
sleep 0.5
sed -n 2p "$T/eve.json" >> "$T/f.json"
sleep 0.6
kill -INT $pid
wait $pid || fail "follow exit $?"
[ "$(wc -l < "$T/fout")" -eq 2 ] || { cat "$T/fout"; fail "follow lines"; }
echo ok
