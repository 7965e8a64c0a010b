#!/bin/sh
# shim_reuseport.sh SHIM.so - the LD_PRELOAD shim makes a second TCP listener on the same port
# succeed (SO_REUSEPORT set at bind), for a Python and a Node.js listener in separate processes;
# without the shim (HS_SHIM_OFF=1) the second bind is refused. Loopback only, no root.
SHIM=$1
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
TMP=$(mktemp -d /tmp/shim_reuseport.XXXXXX)
trap 'kill $HOLD 2>/dev/null; rm -rf "$TMP"' EXIT
fails=0
# a free port, then a first listener under the shim holding it
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$TMP/hold.py" <<'PY'
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
print(s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT), flush=True)
time.sleep(30)
PY
cat > "$TMP/second.py" <<'PY'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); print("shared")
except OSError as e:
    print("refused", e.errno)
PY
LD_PRELOAD=$SHIM $PY "$TMP/hold.py" "$PORT" > "$TMP/hold.out" &
HOLD=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$TMP/hold.out" ] && break; sleep 0.2; done
[ "$(cat "$TMP/hold.out")" = 1 ] && echo "ok   - listener under the shim has SO_REUSEPORT" \
  || { echo "FAIL - SO_REUSEPORT not set: $(cat "$TMP/hold.out")"; fails=$((fails + 1)); }
r=$(LD_PRELOAD=$SHIM $PY "$TMP/second.py" "$PORT")
[ "$r" = shared ] && echo "ok   - second python listener shares port $PORT" \
  || { echo "FAIL - second python listener: $r"; fails=$((fails + 1)); }
r=$(LD_PRELOAD=$SHIM HS_SHIM_OFF=1 $PY "$TMP/second.py" "$PORT")
[ "$r" = "refused 98" ] && echo "ok   - without the shim the port is refused" \
  || { echo "FAIL - without the shim: $r"; fails=$((fails + 1)); }
if command -v node >/dev/null; then
  r=$(LD_PRELOAD=$SHIM UV_USE_IO_URING=0 node -e '
const s = require("net").createServer();
s.on("error", e => { console.log("refused", e.code); process.exit(0); });
s.listen(Number(process.argv[1]), "127.0.0.1", () => { console.log("shared"); process.exit(0); });' "$PORT")
  [ "$r" = shared ] && echo "ok   - node listener shares port $PORT" \
    || { echo "FAIL - node listener: $r"; fails=$((fails + 1)); }
fi
[ "$fails" = 0 ] && echo PASS || echo "FAILED: $fails"
exit $((fails > 0))
