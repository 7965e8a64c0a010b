#!/usr/bin/env bash
# sandnet_watch.sh - `honeyshift sandnet watch`, the IDS -> Sandnet link, on EVE files written
# here (--dry-run: names the suspect, confines nothing; the confinement itself is
# `honeyshift sandnet confine`): alerts from external hosts, other events, malformed and
# over-long lines are skipped; the first alert from a lab container names it; following starts
# at the end of the file and sees appended lines; a replaced file is read from its start; usage
# errors exit 2; a timeout exits 1. No root, no lab.
set -uo pipefail
B=${HS_BUILD_DIR:?}
HS=$B/src/cli/honeyshift
D=$(mktemp -d /tmp/hs-watch.XXXXXX)
WPID=
trap '[ -n "$WPID" ] && kill "$WPID" 2>/dev/null; rm -rf "$D"' EXIT
failed=0
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; failed=1; }
alert() {  # SRC_IP SID
  printf '{"timestamp":"2026-11-23T15:00:00.000000+0000","event_type":"alert","src_ip":"%s","src_port":40000,"dest_ip":"198.18.64.12","dest_port":8000,"proto":"TCP","alert":{"action":"blocked","signature_id":%s,"rev":1,"signature":"HS test %s","category":"Web Application Attack","severity":1}}\n' "$1" "$2" "$2"
}
E=$D/eve.json

# 1. a file with noise, then an alert from fe1 (198.18.64.11)
{
  echo '{"event_type":"flow","src_ip":"198.18.64.11"}'
  echo '{"event_type":"alert", broken'
  alert 198.18.64.201 1001            # the adversary's external host: not a container
  head -c 70000 /dev/zero | tr '\0' 'x'; echo
  alert 198.18.64.11 1002
  alert 198.18.64.22 1003
} > "$E"
out=$("$HS" sandnet watch --eve "$E" --from-start --dry-run --timeout 5 2>"$D/err"); rc=$?
[ $rc = 0 ] && grep -q '^suspect fe1 (198.18.64.11): alert sid 1002 "HS test 1002"' <<<"$out" \
  && ok "from the start: fe1 named by the first alert from a container" || bad "rc $rc: $out $(cat "$D/err")"
grep -q 'alert sid 1001 from 198.18.64.201 skipped (not-container)' "$D/err" \
  && ok "alert from an external host skipped, with the reason" || bad "no skip line: $(cat "$D/err")"
grep -q '1 alerts from containers, 1 from other sources, 1 other events, 1 malformed, 1 too long' "$D/err" \
  && ok "counts: other source, other event, malformed, too long" || bad "counts: $(grep lines: "$D/err")"

# 2. following from the end: the existing fe1 alert is old news; an appended be2 alert counts
"$HS" sandnet watch --eve "$E" --dry-run --timeout 10 >"$D/out2" 2>"$D/err2" &
WPID=$!
sleep 1
alert 198.18.64.201 2001 >> "$E"
printf '%s' "$(alert 198.18.64.22 2002)" >> "$E"   # half a line first: no newline yet
sleep 0.5
echo >> "$E"
wait $WPID; rc=$?; WPID=
[ $rc = 0 ] && grep -q '^suspect be2 (198.18.64.22): alert sid 2002' "$D/out2" \
  && ok "following: an appended alert from be2 (line completed later) names be2" || bad "follow: rc $rc $(cat "$D/out2" "$D/err2")"

# 3. the file is replaced (rotation): the new file is read from its start
alert 198.18.64.201 3001 > "$E"
"$HS" sandnet watch --eve "$E" --dry-run --timeout 10 >"$D/out3" 2>"$D/err3" &
WPID=$!
sleep 1
alert 198.18.64.13 3002 > "$E.new" && mv "$E.new" "$E"
wait $WPID; rc=$?; WPID=
[ $rc = 0 ] && grep -q '^suspect db1 (198.18.64.13): alert sid 3002' "$D/out3" \
  && ok "a replaced file is read from its start (db1)" || bad "rotation: rc $rc $(cat "$D/out3" "$D/err3")"

# 4. nothing within the timeout; a file that does not exist yet is waited for
"$HS" sandnet watch --eve "$D/none.json" --dry-run --timeout 1 >/dev/null 2>"$D/err4"; rc=$?
[ $rc = 1 ] && grep -q 'no suspect within 1 s' "$D/err4" && ok "timeout: exit 1" || bad "timeout: rc $rc $(cat "$D/err4")"

# 5. a file that appears after the start is read from its first line
rm -f "$D/later.json"
"$HS" sandnet watch --eve "$D/later.json" --dry-run --timeout 10 >"$D/out5" 2>"$D/err5" &
WPID=$!
sleep 1
{ alert 198.18.64.201 5001; alert 198.18.64.21 5002; } > "$D/later.json"
wait $WPID; rc=$?; WPID=
[ $rc = 0 ] && grep -q '^suspect fe2 (198.18.64.21): alert sid 5002' "$D/out5" \
  && ok "a file that appears later is read from its start (fe2)" || bad "late file: rc $rc $(cat "$D/out5" "$D/err5")"

# 6. usage errors
for args in "--dry-run" "--eve $E --mode sideways" "--eve $E --severity 0" "--eve $E --timeout x" "--eve $E extra"; do
  # shellcheck disable=SC2086
  "$HS" sandnet watch $args >/dev/null 2>"$D/err5"; rc=$?
  [ $rc = 2 ] && [ -s "$D/err5" ] && ok "usage error exits 2: $args ($(head -n1 "$D/err5"))" || bad "usage '$args': rc $rc"
done
"$HS" sandnet watch --help | grep -q 'confine the container an IDS alert names' && ok "--help" || bad "--help"
exit $failed
