#!/usr/bin/env python3
"""ips_rules_gen.py - writes rules/default.rules. Ingress detections are written once here with
encoding-tolerant tokens ({Q} quote, {S} space or SQL comment, {DOT}, {SL} slash, ...) and
expanded into the three buffer variants (http.uri, http.request_body, http.header) with
consecutive sids. Edit this file, run it, then bench/ips_detect.sh and the unit tests
(tests/ips/rules_default/). Usage: ips_rules_gen.py [OUT] (default: rules/default.rules)."""
import os
import sys
T = {
 'Q':  r"(?:['\x22`]|%2[27]|%60|%ef%bc%8[27]|\xef\xbc[\x82\x87]|%c0%a[27]|\xc0[\xa2\xa7]|%bf%27|&apos;|&#0*39;|&#x0*27;|&#0*34;|&#x0*22;|\\x27|\\u0027|%5cx27|%5cu0027)",
 # whitespace: also control bytes (MSSQL blanks), overlong UTF-8 and HTML-entity spaces, JSON
 # escapes (a JSON-escaped tab or \u0020)
 'S':  r"(?:[\s+\x01-\x08\x0e-\x1f]|%(?:[01][0-9a-f]|20|a0)|/\*(?:!\d*)?|\*/|\x00|\xc0\xa0|%c0%a0|&#0*32;|&#x0*20;|\\[tnr]|\\u00(?:0[9ad]|20))",
 # S or a comment without spaces closed by a newline (sqlmap space2dash/space2hash: --abc\n,
 # #abc\n). Only in rules anchored by a literal: in every regex it halves the throughput.
 'SC': r"(?:[\s+\x01-\x08\x0e-\x1f]|%(?:[01][0-9a-f]|20|a0)|/\*(?:!\d*)?|\*/|\x00|\xc0\xa0|%c0%a0|&#0*32;|&#x0*20;|\\[tnr]|\\u00(?:0[9ad]|20)|(?:--|#|%23)[^\s&%]{0,64}(?:\n|%0a))",
 'LP': r"(?:\(|%28|\xc0\xa8|%c0%a8|&#0*40;|&#x0*28;)",
 'RP': r"(?:\)|%29|\xc0\xa9|%c0%a9|&#0*41;|&#x0*29;)",
 'EQ': r"(?:=|%3d|\xc0\xbd|%c0%bd|&#0*61;|&#x0*3d;)",
 'LT': r"(?:<|%3c|&lt;?|\\u003c|\\x3c|%u003c|&#0*60;?|&#x0*3c;?)",
 'GT': r"(?:>|%3e)",
 'SEMI': r"(?:;|%3b)",
 'DOT': r"(?:\.|\xc0\xae|\xc0\x2e|%%32%65|%%32%45|%252e|0x2e|%25c0%25ae|%2e|%252e|%c0%ae|%e0%80%ae|%c0%2e|%u002e|%uff0e|%f0%80%80%ae)",
 'SL':  r"(?:/|\\|\xc0\xaf|\xc1\x9c|%%32%66|%%35%63|%%32%46|%%35%43|0x2f|0x5c|%25c0%25af|%25c1%259c|%2f|%5c|%252f|%255c|%c0%af|%c1%9c|%c0%2f|%c0%5c|%c1%1c|%u2215|%u2216|%uefc8|%uf025|%e0%80%af|%c1%af|%f0%80%80%af)",
 'COL': r"(?:\:|%3a)",
 # a SQL comment opener, also as overlong UTF-8 or HTML entities
 'CMT': r"(?:--|\xc0\xad\xc0\xad|%c0%ad%c0%ad|&#0*45;&#0*45;|#|%23|\xc0\xa3|/\*)",
 'DL':  r"(?:\$|%24)",
 'LB':  r"(?:\{|%7b)",
 'RB':  r"(?:\}|%7d)",
}
def x(p):
    for k in sorted(T, key=len, reverse=True):
        p = p.replace('{'+k+'}', T[k])
    return p

HDR = 'drop http any any -> $HOME_NET any'
# (key, buffer, label, sid offset). 'hdrd' is the header variant read URL-decoded (url_decode:
# Cookie, Referer and User-Agent values with %XX escapes), in place of 'hdr' (same sid N+2).
BUFS = [('uri', 'http.uri', 'URI', 0), ('body', 'http.request_body', 'body', 1), ('hdr', 'http.header', 'header', 2),
        ('hdrd', 'http.header; url_decode', 'header', 2)]
out = []
def ingress(base, cat, msg, pcre, content=None, bufs=('uri','body','hdr'), cls='web-application-attack', flags='i'):
    for k, buf, lab, i in BUFS:
        if k not in bufs: continue
        c = ''
        if content:
            c = ''.join('content:"%s"; nocase; ' % cc for cc in content)
        p = pcre.replace('{NL}', r'\n|\r|%0a|%0d' if k == 'uri' else r'%0a|%0d')
        # a NUL byte ending a value: decoded in the URI, only percent-encoded elsewhere (binary
        # uploads hold raw NULs)
        p = p.replace('{NULV}', r'\x00|%00|%2500' if k == 'uri' else r'%00|%2500')
        if k == 'hdrd':
            assert '{NL}' not in pcre, 'raw newlines separate header lines: no {NL} on decoded headers'
        out.append('%s (msg:"HS %s %s (%s)"; flow:established,to_server; %s; %spcre:"/%s/%s"; classtype:%s; metadata:category %s; sid:%d; rev:1;)'
                   % (HDR, cat.upper(), msg, lab, buf, c, x(p), flags, cls, cat, base + i))
def egress(sid, cat, msg, pcre, content=None, flags=''):
    c = ''.join('content:"%s"; %s' % (cc, 'nocase; ' if 'i' in flags else '') for cc in (content or []))
    out.append('drop http $HOME_NET any -> any any (msg:"HS LEAK %s"; flow:established,to_client; http.response_body; %spcre:"/%s/%s"; classtype:successful-recon-limited; metadata:category %s; sid:%d; rev:1;)'
               % (msg, c, x(pcre), flags, cat, sid))

def section(t): out.append('\n# ' + t)

section('SQL injection (2100000-2100099)')
ingress(2100000, 'sqli', 'UNION SELECT', r"union(?:{S}|{LP})+(?:all|distinct|distinctrow)?(?:{S}|{LP})*select(?![a-z_])", ['union'])
# A tautology is a condition true (or false) by construction: a number or a quoted literal on the
# left (1=1, 'a'='a, 1 in (..), '1' like '1'), an identifier compared with itself (x=x), a
# column LIKE a bare wildcard, IS NULL closed by a comment, or a comparison with a sub-select.
# An identifier compared with a literal (owner = 'me', status in ('open','closed')) is an
# ordinary filter expression and does not match.
# Each operator with the right-hand side SQL gives it: a comparison takes any operand, LIKE and
# REGEXP a literal, BETWEEN x AND, IN (, IS [NOT] NULL/TRUE/FALSE ("'and' or 'or' between
# keywords" is prose: BETWEEN without AND, LIKE before a word).
TAUT_OP = r"(?:{EQ}|<>|!=|%3c%3e|%21%3d|<|>|%3c|%3e|(?<![a-z_])(?:r?like|regexp|between|is|in|sounds(?:{S})+like)(?![a-z_]))"
TAUT_RHS = (r"(?:(?:{EQ}|<>|!=|%3c%3e|%21%3d|<|>|%3c|%3e)(?:{S})*(?:{LP}|{Q}|\d|null|[a-z_]\w*)"
            r"|(?<![a-z_])(?:r?like|regexp|sounds(?:{S})+like)(?![a-z_])(?:{S})*(?:{LP}|{Q}|\d|null)"
            r"|(?<![a-z_])between(?:{S})+(?:{Q}[^'\x22`]{0,40}?{Q}|-?\d+|[a-z_]\w*)(?:{S})+and(?![a-z_])"
            r"|(?<![a-z_])in(?:{S})*{LP}"
            r"|(?<![a-z_])is(?:{S})+(?:not(?:{S})+)?(?:null|true|false|unknown)(?![a-z_]))")
ingress(2100003, 'sqli', 'boolean tautology', r"(?:{Q}|{RP}|\d|{S}|^|{EQ}|[&:])(?:{S}|{RP})*(?<![a-z_])(?:and|or|xor|having|&&|%26%26|\|\||%7c%7c|div)(?:{S})+(?:not(?:{S})+)?(?:{LP}|{Q})*"
        r"(?:(?:\d+|{Q}[^'\x22`]*?{Q})(?:{RP}|{Q})*(?:{S})*" + TAUT_RHS +
        r"|(?<tl>[a-z_]\w*)(?:{RP}|{Q})*(?:{S})*(?:{EQ}(?:{S})*(?:{Q})?\k<tl>(?!\w)"
        r"|" + TAUT_OP + r"(?:{S})*(?:{LP})+(?:{S})*select(?![a-z_])"
        r"|(?<![a-z_])r?like(?:{S})*(?:{Q}(?:%25|%)+(?![a-z0-9_])|char(?:{S})*{LP})"
        r"|(?<![a-z_])is(?:{S})+(?:not(?:{S})+)?null(?:{S})*(?:{SEMI}|--|#|%23))"
        r"|(?:{LP})*(?:\d+|true)(?:{RP})*(?:{S})*(?:--|#|%23|/\*))")
ingress(2100006, 'sqli', 'SQL function or schema probe', r"(?<![a-z_])(?:sleep|benchmark|pg_sleep|extractvalue|updatexml|load_file|gtid_subset|json_keys|exp|elt|make_set|randomblob|char|chr|nchar|concat|concat_ws|group_concat|ascii|ord|substring|substr|mid|hex|unhex|version|database|user_name|db_name|current_user|system_user|if|ifnull|iif|isnull|case|cast|convert|count|dbms_pipe\.receive_message|dbms_utility\.sqlid_to_sqlhash|utl_inaddr\.get_host_address|ctxsys\.drithsx\.sn|xmltype|generate_series|pg_sleep_for|sys\.fn_varbintohexstr|regexp_substring|rlike|procedure(?:{S})+analyse|make_set)(?:{S})*{LP}(?:{S})*(?:{LP}|select|"
    r"\d[\d.]*(?:{S})*(?:{RP}|,|%2c|{EQ}|<|>|%3c|%3e|[-*/]|%2[abdf]|--|#|%23|$)|{Q}|0x|case|char|chr|[a-z_]+(?:{S})*{LP}|@@|~|null)")  # no content: the ( may be %28 (cookies, headers)
# A quote or parenthesis followed by a blank line is the end of a multipart part header
# (name="title"\r\n\r\nSelect all that apply), not SQL.
ingress(2100009, 'sqli', 'SQL keyword after quote or comment', r"(?:{Q}|{RP})(?!\r?\n\r?\n)(?:(?:{S}|{RP})+(?<![a-z_])(?:union|select|insert|update|delete|drop|having|order(?:{S})+by|group(?:{S})+by|waitfor(?:{S})+delay|procedure|into(?:{S})+(?:out|dump)file)(?![a-z_])"
        # words that are also English ("'no' like you", "rv:11.0) like Gecko"): only with an SQL operand
        r"|(?:{S}|{RP})+(?<![a-z_])(?:(?:r?like|regexp)(?:{S})*(?:{Q}|\d|{LP}|%)|limit(?:{S})+\d|where(?:{S})+(?:{LP})*[\w.`]+(?:{S})*(?:{EQ}|<|>|%3c|%3e|!=|(?<![a-z_])(?:like|in|is|between|regexp)(?![a-z_])))"
        # a comment glued to the quote or parenthesis (admin'--, 1)--+); after a space only when it
        # ends the value ("(see 3.2) -- it says" is prose); never a multipart delimiter (----b)
        r"|(?:{RP})*--(?:{S}|$|\+|-(?=$|{S}|&))(?!--)"
        r"|(?:{S}|{RP})*{S}(?:{RP})*--(?:(?:{S})+[^\s&]{0,12})?(?:{S})*(?=$|&|[\x22;\r\n]|%2[26]|%3b|%0[ad])"
        r"|(?:{S}|{RP})*(?:(?:#|%23)(?=$|&|[\s+]|%[01][0-9a-f]|%20|{Q})|/\*))(?=.{0,400}(?:\d|{Q}|{S}|$))")
ingress(2100012, 'sqli', 'stacked query', r"{SEMI}(?:{S})*(?:select|insert|update|delete|drop|create|alter|exec|execute|declare|shutdown|waitfor|truncate|if|begin|call)(?:{S}|{LP})+", None)
ingress(2100015, 'sqli', 'schema or system object', r"(?:information_schema|mysql\.(?:user|db)|pg_(?:catalog|shadow|user|database)|sysobjects|syscolumns|sys\.(?:tables|objects|databases)|msysaccessobjects|sqlite_master|all_tables|user_tables|rdb\$|sysibm\.|@@(?:version|datadir|hostname)|xp_cmdshell|sp_executesql|sp_password|0x[0-9a-f]{8,}|(?:sys\.)?(?:utl_(?:http|inaddr|file|smtp|tcp)|dbms_(?:pipe|lock|xmlgen|java|scheduler|sql|utility|aw|xdb))\.[a-z_]+|ctxsys\.\w+)")
ingress(2100021, 'sqli', 'subquery or CASE construct', r"{LP}(?:{S})*select(?:{S}|{LP})+|(?<![a-z_])(?:and|or|\|\||&&)(?:{S}|{LP})+(?:not(?:{S})+)?exists(?:{S})*{LP}(?:{S})*select|(?<![a-z_])case(?:{S}|{LP})+when(?:{S}|{LP})+|(?<![a-z_])where(?:{S})+\d+(?:{S})*{EQ}(?:{S})*\d+|(?<![a-z_])(?:exec|execute|print|declare)(?:{S})+(?:@|sp_|xp_|master\.)"
    r"|(?<![a-z_])waitfor(?:{SC})+(?:delay|time)(?:{SC})*{Q}\d{1,2}(?::|%3a|\xc0\xba|%c0%ba|&#0*58;)\d{1,2}")
# A quote that closes the string literal, then a boolean operator and an operand that only SQL
# writes there: ' or exists(...), ' and sleep(5), ' or 1=1, ' or true--. A number followed by a
# quote is not one (5' 10" or 5' 11" are feet and inches).
ingress(2100027, 'sqli', 'quote then boolean operator', r"{Q}(?:{S}|{RP})*(?<![a-z_])(?:or|and|xor|\|\||&&|%7c%7c|%26%26)(?:{S}|{LP})+(?:not(?:{S})+)?(?:{LP})*(?:(?<=\(|%28)(?:{S})*select(?![a-z_])|(?:exists|sleep|benchmark|pg_sleep|updatexml|extractvalue)(?:{S})*{LP}|waitfor(?:{S})+delay|(?:true|false|null|\d+)(?:{S})*(?:$|{EQ}|<|>|%3[cde]|--|#|%23|{RP}|{SEMI}|like(?![a-z])))")
ingress(2100024, 'sqli', 'LDAP filter injection', r"(?:{LP})(?:\||&|!|%7c|%26|%21)(?:{LP})[a-z][\w.-]*(?:{EQ}|~=|>=|<=|%7e%3d|%3e%3d|%3c%3d)|(?:\*|%2a)(?:{RP})(?:{LP})(?:\||&|%7c|%26)?(?:{LP})?[a-z][\w.-]*(?:{EQ}|~=)")
# Column-count probes (sqlmap's UNION technique, manual ORDER BY n): ORDER BY a number closed by
# a comment, NUL or ;, or a whole value "N ORDER BY M". "in order by 5pm" is prose.
ingress(2100030, 'sqli', 'ORDER BY column-count probe', r"(?<![a-z_])order(?:{SC})+by(?:{SC})+\d+(?:(?:{S})*(?:,|%2c)(?:{S})*\d+)*(?:{S})*(?:{CMT}|{SEMI}|\x00|%00)"
        r"|(?:^|{EQ}|[&:\s+]|%20|%26)-?\d+(?:{SC})+order(?:{SC})+by(?:{SC})+\d+(?:{S})*(?=$|&|[\x22;\r]|%26|%22|%3b)", ['order'], bufs=('uri', 'body', 'hdrd'))
# Quote and bracket fuzzing (sqlmap's heuristic check, XSS/SQL breakout probes): <'"> (quotes in
# any encoding) and a run of
# nine or more characters only from "'(),. holding a quote, a parenthesis and a , or . ("(...)",
# in prose is eight).
def _pc(chars, codes):
    return r"(?:[%s]|\xc0[%s]|&#0*(?:%s);)" % (chars, ''.join('\\x%02x' % (0x80 | c) for c in codes), '|'.join(str(c) for c in codes))
PC_Q, PC_P, PC_C = _pc(r"'\x22", (39, 34)), _pc(r"()", (40, 41)), _pc(r",.", (44, 46))
PC_ALL = '(?:%s|%s|%s)' % (PC_Q, PC_P, PC_C)
PC_NQ, PC_NP, PC_NC = ('(?:%s|%s)' % pair for pair in ((PC_P, PC_C), (PC_Q, PC_C), (PC_Q, PC_P)))
ingress(2100033, 'sqli', 'quote and bracket fuzz probe', r"(?:<|%3c)(?:{Q}){2,3}(?:>|%3e)|(?<![\x22'(),.;])(?=" + PC_NQ + "{0,11}" + PC_Q + ")(?=" + PC_NP + "{0,11}" + PC_P + ")(?=" + PC_NC + "{0,11}" + PC_C + ")" + PC_ALL + "{9,}", bufs=('uri', 'body', 'hdrd'))
# IIS (ASP) drops a % that starts no escape: %S%E%L%E%C%T reaches the application as SELECT
# (sqlmap tamper 'percentage'). A SQL or shell keyword spelled with a % before every letter.
IIS_KW = ['and', 'select', 'union', 'sleep', 'from', 'where', 'order', 'group', 'insert', 'update', 'delete', 'drop',
          'exec', 'waitfor', 'delay', 'char', 'concat', 'case', 'when', 'then', 'else', 'cast', 'benchmark',
          'having', 'limit', 'null', 'ascii', 'substr', 'database', 'version', 'table', 'xmltype', 'upper',
          'script', 'alert', 'passwd', 'bash', 'wget', 'curl', 'whoami']
ingress(2100036, 'sqli', 'IIS percent-obfuscated keyword', r"(?<![a-z0-9])(?:" + '|'.join(''.join('%' + ch for ch in k) for k in IIS_KW) + r")(?![a-z0-9])")
ingress(2100018, 'sqli', 'MySQL versioned or keyword-splitting comment', r"/\*!\d*|%2f%2a%21|[a-z]/\*[^*]{0,40}\*/[a-z]|%2f%2a[^*%]{0,40}%2a%2f", ['*'])

section('Cross-site scripting (2100100-2100199)')
ingress(2100100, 'xss', 'script or event tag', r"{LT}(?:{S}|/)*(?:script|iframe|frame|object|embed|applet|svg|img|image|body|video|audio|source|input|details|marquee|meta|link|style|base|form|isindex|math|xss|x|a|div|span|table|td|bgsound|layer|keygen|textarea|select|button|animate|set|html|xml|b|p|h1)(?![a-z0-9-])[^<>]*?(?:on[a-z]{3,}(?:{S})*{EQ}|(?:src|href|data|action|formaction|dynsrc|lowsrc|background|xlink:href|style)(?:{S})*{EQ}(?:{S}|{Q})*(?:javascript|vbscript|livescript|data|&#|expression|%26%23|url\(|[^:<>]*expression)|xmlns)", ['%', ''] if False else None)
ingress(2100103, 'xss', 'script element', r"{LT}(?:{S}|/)*(?:script|iframe|svg|object|embed|applet|meta|base|xss|style|frameset|import|\?xml|!\[cdata)(?![a-z0-9-])")
ingress(2100106, 'xss', 'javascript URI or DOM sink', r"(?:(?:java|vb|live)(?:\s|%0[9ad]|&#x?0*(?:9|10|13|a|d);?|&tab;|&newline;)*s(?:\s|%0[9ad]|&#x?0*(?:9|10|13|a|d);?)*c(?:\s|%0[9ad]|&#x?0*(?:9|10|13|a|d);?)*r(?:\s|%0[9ad]|&#x?0*(?:9|10|13|a|d);?)*i(?:\s|%0[9ad]|&#x?0*(?:9|10|13|a|d);?)*p(?:\s|%0[9ad]|&#x?0*(?:9|10|13|a|d);?)*t(?:{S})*(?::|%3a|&colon;|&#0*58;?)(?![\s+]|%20)|(?<![a-z_.])(?:alert|prompt|confirm|eval|settimeout|setinterval|fromcharcode|atob)(?:{S})*(?:{LP}|`|%60)|document(?:{S})*\.(?:{S})*(?:cookie|domain|write|location)|window(?:{S})*\.(?:{S})*location|\.innerhtml|(?<![a-z_])on(?:error|load|mouseover|mouseenter|focus|click|blur|toggle|start|begin|animationstart|pageshow|resize|scroll|wheel|input|change)(?:{S})*{EQ}|expression(?:{S})*{LP}|-moz-binding|behavior(?:{S})*:)")

section('OS command injection (2100200-2100299)')
CMDS = r"(?:id|whoami|uname|cat|ls|dir|ping|sleep|nc|ncat|netcat|wget|curl|bash|sh|zsh|ksh|dash|python[23]?|perl|php|ruby|lua|echo|ifconfig|ipconfig|net|netstat|powershell|pwsh|cmd|cmd\.exe|rm|chmod|chown|nslookup|dig|host|type|env|printenv|set|hostname|ps|kill|timeout|tftp|ftp|certutil|bitsadmin|busybox|telnet|telnetd|uptime|who|passwd|useradd|crontab|systeminfo|tasklist|whoami\.exe|mkfifo|socat|xterm|find|head|tail|more|less|awk|sed|base64|xxd|od|touch|cp|mv|wc|sort|expr|getent|nohup|sudo|su|ver|vol|net\.exe|reg|wmic|mshta|rundll32|regsvr32|cscript|wscript|start|call|exit|true|false|sleep\.exe|gawk|grep|egrep|tar|gzip|gunzip|bzip2|zip|unzip|scp|ssh|rsync|lynx|nmap|tcpdump|strace|lsof|pkill|killall|mknod|chattr|mkdir|rmdir|readlink|whereis|locate|xargs|printf|node|nodejs|npm|java|jshell|gcc|openssl|base32|uuencode|tclsh|iex|invoke-expression|invoke-webrequest|iwr|start-process|new-object|set-content|get-content|vssadmin|schtasks|taskkill|net1|nltest|msiexec|icacls|whoami)"
# commands that are not English words: after a JSON-escaped newline (\\n in a JSON string) only these
STRONG = r"(?:id|whoami|uname|nc|ncat|netcat|wget|curl|bash|zsh|ksh|python[23]?|perl|php|ruby|ifconfig|ipconfig|netstat|powershell|pwsh|cmd(?:\.exe)?|rm|chmod|chown|nslookup|printenv|hostname|tftp|certutil|bitsadmin|busybox|telnet|useradd|crontab|systeminfo|tasklist|mkfifo|socat|xterm|base64|xxd|getent|nohup|sudo|wmic|mshta|rundll32|regsvr32|cscript|wscript|gawk|grep|tar|scp|ssh|rsync|nmap|pkill|killall|xargs|openssl|ping|cat|ls|sh|dash)"
# A separator followed by a command. Commands that are also English words (sleep, set, find,
# type, more, ping...) need shell context after them: an option (-x), a path, a number, a host
# name, a redirection or pipe, a quote or the end of the value ("; set the table" is prose).
# Backticks are not a separator here: 2100203 judges them with their context (Markdown code).
STRONG2 = STRONG.replace('|ping|', '|')[:-1] + '|iex|invoke-expression|invoke-webrequest|iwr|start-process|new-object|set-content|get-content|vssadmin|schtasks|taskkill|net1|nltest|msiexec|icacls|ncat|netcat|lua|tclsh|jshell|nodejs|uuencode|base32|tcpdump|strace|lsof|mknod|chattr|readlink|whereis|mkdir|rmdir|ifconfig|ipconfig|uname|whoami\\.exe|net\\.exe)'
WEAK = '(?:' + '|'.join(c for c in CMDS[3:-1].split('|') if c not in STRONG2[3:-1].split('|')) + ')'
CMD_ARG = (r"(?:(?<=net|net\.exe|net1)(?:{S})+(?:user|localgroup|group|view|use|share|session|accounts|config|start|stop)(?![a-z])"
           r"|(?:{S})+(?:-{1,2}[a-z0-9]|{SL}|{DOT}{1,2}{SL}|~|{DL}|<|>|%3c|%3e|\||%7c|\d|[\w-]+\.[a-z]{2,}(?![a-z])|{Q}|[a-z](?:{COL})(?:{SL})"
           r"|(?:[\w.-]+(?:{S})+){1,4}(?:>|%3e|<|%3c|\||%7c|&&|%26%26|{SEMI}|`|%60|\$\(|%24%28)))")
CMD_END = r"(?=$|&|%26|{SEMI}|\||%7c|{Q}|`|%60|#|%23|{RP}|<|>|%3c|%3e|\$\{ifs\}|%24%7bifs%7d|\$ifs)"
ingress(2100200, 'cmdi', 'shell separator then command', r"(?:(?:\\[nr]|\\u000[ad])+(?:(?:/usr)?(?:/local)?/s?bin/)?" + STRONG + r"(?:{S}|$|[\x22;|&<>])|(?:{SEMI}|\||%7c|&|%26|{NL}|\$(?:{S})*{LP}|%24%28|\$%28)(?:{S}|\$\{ifs\}|%24%7bifs%7d|{Q})*(?:(?:/usr)?(?:/s?bin/)|%2f(?:usr%2f)?(?:local%2f)?s?bin%2f|/usr/local/s?bin/|\\\\)?"
        r"(?:" + STRONG2 + r"(?:(?:{S}|\$\{ifs\}|%24%7bifs%7d|\$ifs|<|%3c|>|%3e|{Q}|\||%7c|{SEMI}|&|%26|`|%60|\$(?:\(|%28|\{|%7b)|{RP}|,)|$)|" + WEAK + r"(?:" + CMD_ARG + "|" + CMD_END + ")))")
# Backticks: Markdown writes inline code as `ls -la` between words; a backtick span counts when
# it is glued to the value before it (=`id`, x;`id`, 1.2.3.4`id`) or ends the value or a shell
# word (`id`; `id`| `id`&). A shebang (#!/bin/sh) is the first line of an uploaded script.
# Shell obfuscation after a separator: a command word split by short quoted chunks (c'a't,
# w"h"oami, $u'n'ame; O'Brien's has a long chunk) before an argument or the end, and paths
# written as globs (/???/??t /???/p??s??, /bin/c?t).
QCH = r"(?:'[a-z/.]{0,3}'|\x22[a-z/.]{0,3}\x22|%27[a-z/.]{0,3}%27|%22[a-z/.]{0,3}%22)"
SH_OBF = (r"(?:{SEMI}|\||%7c|&|%26|{NL}|\$\(|%24%28|`|%60)(?:{S})*(?:(?:\$|%24)[a-z_]\w{0,3})?(?:[a-z]{1,8}(?:" + QCH + r"[a-z]{0,8})+|(?:" + QCH + r"[a-z]{1,8})+)"
          r"(?:(?:{S})+(?:-[a-z]|{SL}|[a-z/.]{0,8}" + QCH + r")|(?=$|&|%26|{SEMI}|\||%7c))"
          r"|(?:^|[\s;|&=`(]|%20|%3b|%7c|%26|%60|{EQ}|\$\(|%24%28)(?:{SL})[a-z0-9]{0,3}(?:\?|%3f|\*|%2a)[a-z0-9?*]{0,5}(?:{SL})[a-z0-9?*.]{0,10}(?:\?|%3f|\*|%2a)"
          r"|(?:^|[\s;|&=`(]|%20|%3b|%7c|%26|%60|{EQ}|\$\(|%24%28)(?:{SL})(?:s?bin|etc|usr|dev|proc|tmp)(?:{SL})[a-z0-9]{0,8}(?:\?|%3f)[a-z0-9?]{0,8}(?=$|[\s&;|]|%20|%26)")
ingress(2100203, 'cmdi', 'shell metacharacter construct', SH_OBF + r"|(?:\$(?:{S})*{LP}(?:{S})*[a-z/]|%24%28(?:{S})*[a-z/]|(?<![\s+]|%20|%09)`[a-z/.][\x20-\x5f\x61-\x7e]{0,80}`|`[a-z/.][\x20-\x5f\x61-\x7e]{0,80}`(?=$|[&;|\x22'#)<>\r\n]|%2[2379]|%3[bce]|%7c|%0[ad])|(?<![\s+]|%20|%09)%60[a-z/.][\x20-\x7e]{0,160}?%60|%60[a-z/.][\x20-\x7e]{0,160}?%60(?=$|[&;|\x22'#)<>]|%2[2679]|%3[bce]|%7c|%0[ad])|\$\{ifs|%24%7bifs|\$ifs\$|(?:\{|%7b)(?:cat|ls|id|nc|wget|curl|bash|sh|echo|ping|uname|rm|chmod|python|perl)(?:,|%2c)[^}\s]{1,200}(?:\}|%7d)|/dev/(?:tcp|udp)/|(?<![a-z])(?<!#!|%23%21)(?:/bin/(?:ba|z|k|da)?sh|/usr/bin/(?:env|id|perl|python)|cmd(?:\.exe)?(?:{S})+/[ck](?:{S})|powershell(?:\.exe)?(?:{S})+-|certutil(?:\.exe)?(?:{S})+-urlcache|nc(?:{S})+-[elvnp]+(?:{S})|bash(?:{S})+-[ic]))")
ingress(2100206, 'cmdi', 'code evaluation', r"(?<![a-z_])(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|assert|create_function|os\.system|os\.popen|subprocess\.\w+|runtime\.getruntime|processbuilder)(?:{S})*{LP}")  # no content: the ( may be %28

section('Path traversal and local file inclusion (2100300-2100399)')
# Path traversal: a ../ that climbs (two or more in a row, or one at the start of the value, where
# it leaves the directory the application resolves against), or /.. before a NUL or ;.
# A single ../ inside prose ("see ../docs/setup.md") or inside a path (a/../b) does not climb
# above the root and does not match.
TRAV = r"(?:(?:{DOT}{DOT}{SL}){2}|(?:{SL}{DOT}{DOT}){2}(?:{SL}|$|\x00|%00|[?#;&])|(?:^|[?&=\[,]|{EQ}|{Q}|{COL}(?:{S})*|%2c|%5b|%26)(?:{SL})?{DOT}{DOT}(?:{SL}|$|\x00|%00|&)|{SL}{DOT}{DOT}(?:\x00|%00|;|%3b))"
ingress(2100300, 'traversal', 'dot-dot-slash in parameter', TRAV, None, bufs=('body','hdr'))
ingress(2100303, 'traversal', 'dot-dot-slash in query', r"\?.*?" + TRAV, ['?'], bufs=('uri',))
out.append('%s (msg:"HS TRAVERSAL dot-dot-slash above root (raw URI)"; flow:established,to_server; http.uri.raw; pcre:"/^[^?]*?(?:%s){3,}|^(?:%s)+(?:%s)(?:%s)/i"; classtype:web-application-attack; metadata:category traversal; sid:2100304; rev:1;)'
    % (HDR, x(r"{DOT}{DOT}{SL}"), x(r"{SL}"), x(r"{DOT}{DOT}"), x(r"{SL}|\\\\")))
ingress(2100306, 'traversal', 'sensitive file', r"(?:etc(?:{SL})+(?:passwd|shadow|group|hosts|issue|motd|crontab|sudoers|master\.passwd|security/passwd)|proc(?:{SL})+(?:self|\d+)(?:{SL})+(?:environ|cmdline|fd|maps|status)|(?:boot|win|system)\.ini|windows(?:{SL})+(?:system32|win\.ini)|winnt(?:{SL})|web-inf(?:{SL})+web\.xml|(?:\.htaccess|\.htpasswd|\.bash_history|id_rsa|\.ssh(?:{SL})|\.git(?:{SL})+config|wp-config\.php|\.env(?![a-z]))|var(?:{SL})+log(?:{SL})|(?:{SL})(?:c|d)(?:{COL})(?:{SL}))")
ingress(2100309, 'traversal', 'PHP stream wrapper or NUL truncation', r"(?:(?<![a-z])(?:php|file|zip|phar|data|expect|glob|zlib|compress\.zlib|compress\.bzip2|ogg|rar|ssh2\.\w+)(?:{COL})(?:{SL}){2}|php(?:{COL})(?:{SL}){2}(?:filter|input|fd|memory|temp)|\.\w{1,5}(?:%00|\x00|%2500)|(?:%00|\x00|%2500)\.\w{1,5}(?:$|&)|(?:{NULV})(?=$|&|;|[\s\x22']))")

section('Remote file inclusion (2100400-2100499)')
ingress(2100400, 'rfi', 'URL to a script or raw IP in a parameter', r"(?:{EQ}|^|{Q}(?:{S})*{COL}(?:{S})*{Q})(?:{S})*(?:(?:https?|ftps?|ftp|smb|\\\\\\\\)(?:{COL})?(?:{SL}){2}|(?:{SL}){2})(?:[^\s&/?#\x22]*@)?(?:\d{1,3}(?:\.\d{1,3}){3}|[^\s&/?#\x22]+(?:{SL})[^\s&\x22]*?\.(?:txt|php\d?|inc|phtml|pl|sh|cgi|asp|aspx|jsp|gif|jpe?g|png)(?:\?|%3f|%00|#|%23)*(?:$|&|{Q}|\s)|[^\s&/?#\x22]+(?:{SL})[^\s&\x22]*?\.(?:txt|inc)(?:\?|%3f)|[^\s&\x22]*(?:\?|%3f){1,}(?:$|&|{Q}|\s)|[^\s&\x22]*(?:%00|#|%23)(?:$|&|{Q}|\s))")

section('Server-side request forgery (2100500-2100599)')
ingress(2100500, 'ssrf', 'URL to an internal or metadata address', r"(?:https?|gopher|dict|ftp|tftp|ldaps?|file|jar|netdoc|sftp|smb)(?:{COL})(?:{SL}){2}(?:[^\s&/?#@\x22]*@)?(?:localhost|127\.\d+(?:\.\d+){0,2}|0\.0\.0\.0|0+(?:{COL}|{SL}|$)|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|100\.100\.100\.200|metadata(?:\.google\.internal)?(?:{COL}|{SL}|$)|instance-data|\[[0-9a-f:.]*\]|%5b[0-9a-f:.]*%5d|0x[0-9a-f]{1,8}(?:\.|{SL}|{COL}|$)|0[0-7]{1,3}\.\d|\d{8,10}(?:{SL}|{COL}|$)|0[0-7]{9,11}(?:{SL}|{COL}|$)"
        # internal DNS: Kubernetes services, mDNS, home networks, Consul; public names that resolve to 127.0.0.1
        r"|(?:[\w-]+\.)*(?:internal|local|localdomain|localhost|svc|cluster\.local|home\.arpa|lan|intranet|consul)(?:{COL}|{SL}|$)|kubernetes\.default"
        r"|[\w.-]*(?:nip\.io|xip\.io|sslip\.io|localtest\.me|lvh\.me|vcap\.me|lacolhost\.com))")
ingress(2100503, 'ssrf', 'dangerous URL scheme', r"(?<![a-z])(?:gopher|dict|file|jar|netdoc|tftp|ldap|ldaps|phar|expect)(?:{COL})(?:{SL}){2}", [':'])
ingress(2100506, 'ssrf', 'cloud metadata path', r"(?:latest(?:{SL})+(?:meta-data|user-data|api(?:{SL})+token)|computemetadata(?:{SL})+v1|metadata(?:{SL})+instance|(?:{SL})v2(?:{SL})+credentials|(?:{SL})openstack(?:{SL})+latest)")

section('Template, expression and JNDI injection (2100600-2100699)')
ingress(2100600, 'ssti', 'JNDI lookup (Log4Shell) and obfuscations', r"(?:{DL}|%24)(?:{LB}|%7b).{0,200}?(?:jndi|(?:{DL}|%24)(?:{LB}|%7b)(?:lower|upper|::-|env|sys|date|main|java|base64|ctx|k8s|docker|spring|web|log4j|sd|map|bundle|marker|event)\b|j(?:{RB}|%7d)?\W{0,30}n\W{0,30}d\W{0,30}i(?:{COL}))")
# Expressions are printable text: random bytes of an uploaded file ({{ followed by binary) are not.
# JSP/JSF EL implicit objects (${applicationScope}) need no operator.
ingress(2100603, 'ssti', 'template expression', r"(?:(?:{LB}|%7b){2}[\t\r\n\x20-\x7e]{0,300}?(?:{RB}|%7d){2}|(?:{DL}|#|%23|\*|%2a|@|%40)(?:{LB}|%7b)[\x20-\x7c\x7e]{0,300}?(?:[*+/.()\[\]'\x22:<>?@!]|%2[ab]|%28|%3a)[\x20-\x7c\x7e]{0,300}?(?:{RB}|%7d)|(?:<|%3c)(?:%|%25)(?:[=#-]|%3d|%23)?(?:{S})*(?:[\w$@.(`'\x22\[{:]|%60|%2[27])[\x20-\x7e]{0,200}(?:%|%25)(?:>|%3e)|(?:\{|%7b)%(?:{S})*(?:import|set|if|for|include|extends|macro|raw|print|debug|load)(?![a-z])|#set(?:{S})*{LP}|<#assign|%3c%23assign|@{LP}|\$\{\{|%24%7b%7b|(?:{LB}|%7b){2}(?:{S})*[\w$'\x22(\[.-][\x20-\x7c\x7e]{0,40}?(?:[*+/()\[\].'\x22|]|%2[28ab])"
        r"|(?:{DL}|#|%23)(?:{LB}|%7b)(?:{S})*(?:applicationscope|sessionscope|requestscope|pagescope|pagecontext|initparam|paramvalues|headervalues|facescontext|(?:param|header|cookie)(?=\.|\[|%5b|{RB}))(?![a-z0-9_]))")
ingress(2100606, 'ssti', 'template engine object access', r"(?:__(?:class|mro|subclasses|globals|builtins|init|import|base|bases|getattribute|dict)__|\.getclass(?:{LP})|getclassloader|getruntime|java\.lang\.|freemarker\.template|processbuilder|t(?:{S})*{LP}(?:{S})*java\.|_self\.env|registerundefinedfiltercallback|lipsum\.|cycler\.|joiner\.|range\.constructor|#_memberaccess|ognl|@java\.|(?:%|%25)(?:{LB})(?:{LP})?(?:#|%23))")

section('Scanners and exploitation tools (2100700-2100799)')
# Scanner and exploitation tools, by the User-Agent they send by default (names as they appear,
# lower case; the pcre is case-insensitive). Written from the tools' documentation and default
# configurations; keep sorted by kind. A name that is also an ordinary word is anchored.
SCANNER_UA = [
 # SQL injection
 'sqlmap', 'havij', 'sqlninja', 'pangolin', 'bsqlbf', 'mysqloit', 'sqlsus', 'absinthe', 'sqlpowerinjector',
 'sql power injector', 'marathon tool', 'nosqlmap', 'jsql', 'sqlibf', 'sqid', 'safe3', 'priamos',
 'mole (sqli)', 'datacha0s', 'webcruiser',
 # web vulnerability scanners
 'nikto', 'acunetix', 'netsparker', 'invicti', 'appscan', 'webinspect', 'w3af', 'arachni', 'skipfish',
 r'(?<![a-z])sf\/\d', 'wapiti', 'openvas', 'nessus', 'nasl', 'qualys', 'nexpose', 'rapid7', 'burp', 'zap\/',
 'owasp', 'paros', 'webscarab', 'vega\/', 'grendel', 'grabber', 'uniscan', 'webshag', 'webvulnscan',
 'n-stealth', 'nstealth', 'nsauditor', 'retina', 'x-scan', 'xscan', 'jaeles', 'nuclei', 'detectify',
 'probely', 'intruder\.io', 'crowdstrike', 'tenable', 'beyondtrust', 'webtrends security analyzer',
 'security scan', 'securityscan', 'vulnscan', 'vuln-scan', 'vulnerability scan', 'scanbot', 'crimscanner',
 'cgichk', 'cgiscan', 'webbandit', 'teh forest lobster', 'httprint', 'httprecon', 'wprecon', 'wpscan',
 'joomscan', 'joomlascan', 'droopescan', 'cmsmap', 'cmseek', 'whatweb', 'wappalyzer', 'blindelephant',
 'plecost', 'typo3scan', 'magescan', 'vbscan', 'golismero', 'sitedigger', 'brutus', 'hydra', 'medusa',
 'ncrack', 'patator', 'crowbar', 'metasploit', 'msfconsole', 'meterpreter', 'commix', 'tplmap', 'sstimap',
 'xsstrike', 'xsser', 'dalfox', 'xsscrapy', 'bxss', 'dotdotpwn', 'fimap', 'liffy', 'kadimus', 'lfisuite',
 'struts-pwn', 'strutshock', 'log4j-scan', 'jexboss', 'ysoserial', 'shellshock', 'sipvicious', 'friendly-scanner',
 'morfeus', 'zmeu', 'jorgee', 'muieblackcat', 'toata dragostea', 'zollard', 'pmafind', 'webster pro',
 'inspath', 'voideye', 'floodgate', 'metis', 'springenwerk', 'fhscan', 'black widow', 'blackwidow',
 'bilbo', 'j-bro', 'dominohunter', 'domino hunter', 'security-scan', 'sysscan', 'gootkit', 'mozilla\/4\.0 \(compatible; msie 6\.0; win32\)',
 # a bare Internet Explorer 6-or-older User-Agent without any of the tokens real installs added
 # (SV1, .NET CLR, ...): hard-coded tool defaults (dirb: "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)")
 r'^mozilla\/4\.0 \(compatible; msie [1-6]\.\d+; windows (?:nt [45]\.\d|9[58]|me|2000|xp)\)$',
 # content discovery and fuzzers
 'dirbuster', 'gobuster', r'(?<![a-z])dirb(?![a-z])', 'dirsearch', 'wfuzz', 'ffuf', 'fuzz faster u fool',
 'feroxbuster', 'rustbuster', 'wordlist', 'fuzzer', 'fuzzing', 'bfac', 'dirhunt', 'gospider', 'hakrawler',
 'katana', 'paramspider', 'arjun', 'x8\/', 'kiterunner', 'meg\/', 'aquatone',
 'eyewitness', 'gowitness', 'webscreenshot', 'subfinder', 'amass', 'sublist3r', 'theharvester',
 # port and internet scanners
 'nmap', 'nmap scripting engine', 'masscan', 'zgrab', 'zmap', 'zmeu', 'unicornscan', 'angry ip',
 'censysinspect', 'shodan', 'netsystemsresearch', 'internet-measurement', 'expanse', 'leakix', 'l9explore',
 'l9tcpid', 'binaryedge', 'onyphe', 'fofa', 'zoomeye', 'criminalip', 'netlab360', 'scaninfo@',
 'project sonar', 'stretchoid', 'ipip\.net', 'odin\.io', 'natlas', 'python-nmap', 'scanner',
]
out.append('drop http any any -> $HOME_NET any (msg:"HS SCANNER known tool User-Agent"; flow:established,to_server; http.user_agent; pcre:"/(?:%s)/i"; classtype:attempted-recon; metadata:category scanner; sid:2100700; rev:2;)' % '|'.join(SCANNER_UA))
out.append('drop http any any -> $HOME_NET any (msg:"HS SCANNER probe header"; flow:established,to_server; http.header; pcre:"/^(?:x-scanner|acunetix-[a-z-]+|x-wipp|x-request-memo|x-wapiti|x-probe|x-nikto|x-wvs-[a-z-]+|x-arachni[a-z-]*|x-scan-[a-z-]+|x-burp[a-z-]*|x-bug-bounty|x-hackerone|x-nuclei[a-z-]*|x-ffuf[a-z-]*|x-w3af[a-z-]*|netsparker-[a-z-]+):/mi"; classtype:attempted-recon; metadata:category scanner; sid:2100701; rev:1;)')
# Well-known vulnerable-application paths that scanners probe for (JBoss invokers and consoles,
# FrontPage and old IIS extensions, 8.3 short names, Tomcat managers, Axis, WebLogic wls-wsat,
# ColdFusion administrator, router CGIs): nobody's browser asks for them on a service that is not
# that product.
out.append('drop http any any -> $HOME_NET any (msg:"HS SCANNER vulnerable-application path probe"; flow:established,to_server; http.uri; pcre:"/%s/i"; classtype:attempted-recon; metadata:category scanner; sid:2100705; rev:1;)' % (
    r"^(?:/[^/?]*)*?/(?:invoker/(?:ejb|jmx)invokerservlet|jmx-console(?:/|$|\?)|web-console/|jbossws/|_vti_(?:bin|pvt|cnf|log|txt|inf|adm|aut)(?:/|$|\.)|_mem_bin|msadc(?:/|$)|iisadmpwd|iisadmin|iissamples|issamples|"
    r"[a-z0-9]{1,6}~[1-9](?:/|$|\.|\?)|[^/?]+\.(?:ida|idq|htr|htw|printer)(?:$|\?)|manager/html|host-manager/|axis2?/(?:happyaxis\.jsp|axis2-admin|services/listservices)|wls-wsat/|_async/asyncresponseservice|"
    r"cfide/(?:administrator|componentutils)|hnap1(?:/|$)|boaform/|gponform/|cgi-bin/(?:test-cgi|printenv|php[45]?(?:-cgi)?)(?:$|\?))"))
# Request fingerprints the tools leave in URIs, bodies and headers whatever their User-Agent: nmap's
# HTTP service probe, nikto and Acunetix test file names, out-of-band interaction domains (Burp
# Collaborator, interactsh, Acunetix bxss, dnslog), and tool markers in parameters.
ingress(2100702, 'scanner', 'tool request fingerprint', r"(?:nice(?:{S}|%2520)ports(?:,|%2c)(?:{SL})tri(?:n|%6e)ity\.txt|nikto-test|acunetix(?:-wvs)?-test|wvs-test-for|netsparker|arachni_|w3af_|sqlmap|sqlspider|ghz(?:>|%3e)hzx|hzx(?:\x22|%22)zxc|zxc(?:'|%27)xcv|(?<![a-z0-9-])(?:[a-z0-9-]+\.)*(?:burpcollaborator\.net|oastify\.com|oast\.(?:pro|live|site|online|fun|me)|interact\.sh|interactsh\.com|bxss\.me|dnslog\.cn|ceye\.io|requestbin\.net|canarytokens\.com)(?![a-z0-9-]))", cls='attempted-recon')

section('Egress: information disclosure in responses (2100800-2100899)')
# Each leak detection is split into variants anchored by a literal every match of that variant
# contains (the Hyperscan prefilter), confirmed by the variant's regex. The first variant keeps
# the category's sid 21008K; the others take the category's block 21008(K+1)0-21008(K+1)9
# (cloudkey 2100850-2100869, sqlerror 2100880-2100899).
def egress_split(base, block, cat, msg, variants, flags=''):
    sids = [base] + list(range(block[0], block[1] + 1))
    assert len(variants) <= len(sids), cat
    for sid, (content, pcre) in zip(sids, variants):
        egress(sid, cat, msg, pcre, content, flags)

egress_split(2100800, (2100810, 2100819), 'passwd', '/etc/passwd contents',
    [([pw], r"(?:^|[\s>\x22'\]])[a-z_][a-z0-9_.-]{0,31}:" + re_pw + r":\d{1,10}:\d{1,10}:[^:\r\n]{0,200}:\/[^:\r\n]{0,200}:(?:\/[\w\/.-]*)?(?:$|[\s<\x22'\\\\])")
     for pw, re_pw in ((':x:', 'x'), (':*:', r'\*'), (':!:', '!'), ('::', ''))], 'm')
egress_split(2100801, (2100820, 2100829), 'shadow', '/etc/shadow contents',
    [([lit], r"(?:^|[\s>\x22'])[a-z_][a-z0-9_.-]{0,31}:" + alt + r":\d{0,6}:\d{0,6}:\d{0,6}:\d{0,6}:")
     for lit, alt in ((':$', r"\$(?:1|2[abxy]?|5|6|y|gy|7|md5|sha1)\$[^:\s]{8,}"), (':*', r"[*!]{1,2}"), (':!', r"(?:[*!]{1,2}|!\$[^:\s]+)"))], 'm')
egress(2100802, 'privkey', 'PEM private key', r"-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP |ANY )?PRIVATE KEY(?: BLOCK)?-----", ['PRIVATE KEY'])
egress_split(2100803, (2100840, 2100849), 'hash', 'password hash (crypt, bcrypt, argon2)',
    [(['$%s$' % d], r"\$%s\$(?:rounds=\d+\$)?[.\/0-9A-Za-z]{1,16}\$[.\/0-9A-Za-z]{22,86}" % d) for d in '156'] +
    [(['$2%s$' % v], r"\$2%s\$\d\d\$[.\/0-9A-Za-z]{53}" % v) for v in 'abxy'] +
    [(['$argon2'], r"\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$"),
     (['$y$'], r"\$y\$[.\/0-9A-Za-z]+\$[.\/0-9A-Za-z]{8,}\$[.\/0-9A-Za-z]{43}")])
egress_split(2100804, (2100850, 2100869), 'cloudkey', 'cloud API key',
    [([pf], r"(?<![A-Z0-9])%s[A-Z2-7]{16}(?![A-Z0-9])" % pf) for pf in ('AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'ANPA', 'ANVA', 'AIPA')] +
    [(['aws_secret_access_key'], r"aws_secret_access_key\s*[=:]\s*[\x22']?[A-Za-z0-9\/+]{40}"),
     (['AIza'], r"AIza[0-9A-Za-z_-]{35}"),
     (['\\"service_account\\"'], r"\x22type\x22\s*:\s*\x22service_account\x22"),
     (['AccountKey='], r"AccountKey=[A-Za-z0-9+\/]{86}=="),
     (['xox'], r"xox[abprs]-[0-9A-Za-z-]{10,}"),
     (['sk_live_'], r"sk_live_[0-9a-zA-Z]{24}")] +
    [(['gh%s_' % c], r"gh%s_[A-Za-z0-9]{36}" % c) for c in 'pousr'])
egress_split(2100805, (2100870, 2100879), 'stacktrace', 'stack trace',
    [(['Traceback (most recent call last):'], r"Traceback \(most recent call last\):"),
     (['Exception in thread \\"'], r"Exception in thread \x22"),
     (['.java:'], r"\n\s+at [\w$.<>]+\([\w$]+\.java:\d+\)|at [\w.]+\.java:\d+"),
     (['js:'], r"\n\s+at [^\n]{1,200} \(\/[^)\n]+\.m?js:\d+:\d+\)"),
     (['on line'], r"(?:Fatal error|Parse error|Warning|Notice|Deprecated)(?:<\/b>)?:\s+.{1,400}? in (?:<b>)?\/[^<\n]+\.php(?::\d+)?(?:<\/b>)?\s+on line"),
     (['Stack trace:'], r"Stack trace:\s*\n?#0"),
     (['System.'], r"System\.Web\.[\w.]+\(|   at System\.[\w.]+\("),
     (['.scala:'], r"at [\w.]+\.scala:\d+"),
     (['.kt:'], r"at [\w.]+\.kt:\d+"),
     (['Exception: '], r"[\w.]+Exception: .{0,200}\n\s+at "),
     (['Error: '], r"[\w.]+Error: .{0,200}\n\s+at ")])
egress_split(2100806, (2100880, 2100899), 'sqlerror', 'database error message',
    [(['You have an error in your SQL syntax'], r"You have an error in your SQL syntax"),
     (['mysql'], r"mysql_fetch_\w+\(|mysqli_\w+\(\) expects|com\.mysql\.jdbc"),
     (['MySQLSyntaxErrorException'], r"MySQLSyntaxErrorException"),
     (['syntax error'], r"ERROR:\s+syntax error at or near|near \x22[^\x22]{0,40}\x22: syntax error"),
     (['pg_query()'], r"pg_query\(\)"),
     (['quoted string'], r"unterminated quoted string at or near|quoted string not properly terminated"),
     (['SQLite3::'], r"SQLite3::"),
     (['sqlite3.OperationalError'], r"sqlite3\.OperationalError"),
     (['SQLITE_ERROR'], r"SQLITE_ERROR"),
     (['Unclosed quotation mark after the character string'], r"Unclosed quotation mark after the character string"),
     (['SQL Server'], r"\[SQL Server\]|OLE DB Provider for SQL Server|ODBC SQL Server Driver"),
     (['SqlException'], r"SqlException"),
     (['ORA-'], r"ORA-\d{5}"),
     (['SQLSTATE['], r"SQLSTATE\[\w+\]"),
     (['PSQLException'], r"PSQLException"),
     (['org.postgresql.util'], r"org\.postgresql\.util"),
     (['Dynamic SQL Error'], r"Dynamic SQL Error"),
     (['DB2 SQL error'], r"DB2 SQL error"),
     (['Sybase message'], r"Sybase message"),
     (['valid MySQL result'], r"valid MySQL result"),
     (['MySqlClient.'], r"MySqlClient\.")])

HEADER = '''# honeyshift default rule set (rules/default.rules). Documentation: rules/README.md.
# Generated by bench/ips_rules_gen.py: edit that file, not this one.
#
# Ingress rules (to_server) drop the request: the engine blocks the flow and reports the client
# as attacker. Each ingress detection exists in up to three variants with the same regex and
# consecutive sids: N on http.uri (percent-decoded once), N+1 on http.request_body (raw: the
# regexes accept %XX and '+' forms of the characters they need), N+2 on http.header (all
# request headers, including Cookie, Referer and X-Forwarded-For; raw).
# Egress rules (to_client) drop responses that leak secrets or internals.
# Addresses: $HOME_NET are the protected services; any client may attack.
'''

dst = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rules', 'default.rules')
with open(dst, 'w') as f:
    f.write(HEADER + '\n'.join(out) + '\n')
