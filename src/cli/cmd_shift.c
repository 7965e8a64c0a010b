/* cmd_shift.c - `honeyshift shift`: relocate one client's live TCP session into the honeypot. */
#include "cli/commands.h"
#include "common/util.h"
#include "lab/lab.h"
#include "mig/mig_req.h"
#include "mig/shift.h"
#include "ctl/ctl_client.h"

#include <jansson.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
"NAME\n"
"    honeyshift shift - move a client's live TCP session, with the server process holding it,\n"
"    from a production host into its honeypot twin\n"
"\n"
"SYNOPSIS\n"
"    honeyshift shift [--lab NAME | -t FILE] --client IP:PORT [--from HOST] [--to HOST]\n"
"                     [--deadline MS] [--key FILE] [--direct] [--json]\n"
"\n"
"DESCRIPTION\n"
"    When the lab's controller runs, the request goes to it ({\"cmd\":\"shift\"}): the same\n"
"    path as an IPS detection (trigger operator): per-client lock, the client blocked towards\n"
"    production at once, a worker runs the stages below with the flows installed through the\n"
"    controller's OpenFlow session, and an EVE relocation event is written; the deadline is\n"
"    the topology's relocation.deadline_ms. Without a controller (or with --direct) this\n"
"    command runs the stages itself and installs the flows with ovs-ofctl.\n"
"    Relocates the connection from the client IP:PORT to the production host's service\n"
"    through the hosts' migration agents (honeyshift-agent, one per host, which must run):\n"
"      flows    drop client<->production both ways and open honeypot->client (one ovs-ofctl\n"
"               batch, cookie 0x4d47..., priority 2100 in table 0);\n"
"      locate   sock_diag look-up of the 4-tuple in production, socket inode -> process;\n"
"      dump     CRIU dump of that process, left running (--leave-running --tcp-established,\n"
"               its unix sockets to the master external), images in /dev/shm;\n"
"      transfer production's agent streams the images to the honeypot's (MAC'd frames);\n"
"      restore  CRIU restore inside the honeypot host in a fresh nested PID namespace; the\n"
"               restored copies of other clients' sockets are destroyed silently;\n"
"      flows    open client->honeypot (priority 2200);\n"
"    then the client's socket in the production process is destroyed (SOCK_DESTROY; its\n"
"    reset is dropped by the switch). The client keeps its TCP connection; from now on the\n"
"    honeypot answers it. When a stage fails or the deadline passes, the move is rolled back:\n"
"    the client stays blocked (drop flows stay), production is untouched, nothing restored is\n"
"    left in the honeypot; the error names the stage.\n"
"\n"
"OPTIONS\n"
"    --lab NAME       the running lab NAME; -t FILE: a topology file (default: the default lab)\n"
"    --client IP:PORT the client's end of the connection (required)\n"
"    --from HOST      production host (default web)\n"
"    --to HOST        honeypot host (default: honeypot)\n"
"    --deadline MS    give up after MS milliseconds (default 2000)\n"
"    --key FILE       agent key (default STATE_DIR/agent.key)\n"
"    --direct         do not go through the controller (ovs-ofctl, no event)\n"
"    --json           print the result as one JSON object\n"
"\n"
"OUTPUT\n"
"    Stage timings in ms: locate, dump (CRIU's share in brackets), transfer, restore, flows\n"
"    (both ovs-ofctl batches), pause (from the drop flows to client->honeypot: the time the\n"
"    client's packets go unanswered), total; image size; the PIDs in production and honeypot.\n"
"\n"
"EXIT STATUS\n"
"    0 relocated, 1 failed (rolled back; the client stays blocked), 2 usage error.\n"
"\n"
"EXAMPLES\n"
"    honeyshift shift --lab hsm --client 198.18.0.11:40112 --json\n"
"    honeyshift unshift --lab hsm --client 198.18.0.11\n";

/* The relocation event's timings, one line per stage. */
static void print_timeline(const json_t *ev)
{
    const json_t *r = json_object_get(ev, "relocation");
    const json_t *t = json_object_get(r, "timings_ms");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)t, k, v)
        printf("  %-10s %8.1f ms\n", k, json_number_value(v));
}

/* {"cmd":"shift"} to a running controller: 0 relocated, 1 failed, -1 controller unreachable
 * (the caller runs the relocation itself). */
static int shift_via_controller(const struct hs_shift_req *rq, const char *sock, bool json)
{
    char ip[16], err[256], *ans = NULL;
    hs_format_ipv4(rq->client_ip, ip);
    if (hs_ctl_request(sock, "{\"cmd\":\"ping\"}", &ans, 1000, err, sizeof err) != 0)
        return -1;
    free(ans);
    ans = NULL;
    json_t *req = json_pack("{s:s, s:s, s:i, s:s, s:s}", "cmd", "shift", "client", ip, "port",
                            (int)rq->client_port, "from", rq->from, "to", rq->to);
    char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!text)
        return 1;
    int tmo = (int)(rq->t->relocation.deadline_ms + 20000);
    int rc = hs_ctl_request(sock, text, &ans, tmo, err, sizeof err);
    free(text);
    if (rc != 0) {
        fprintf(stderr, "honeyshift shift: %s\n", err);
        return 1;
    }
    json_error_t je;
    json_t *a = json_loads(ans, 0, &je);
    bool ok = json_is_true(json_object_get(a, "ok"));
    const json_t *res = json_object_get(a, "result");
    if (json) {
        /* the worker's result (same keys as --direct) with the relocation event beside */
        json_t *out = json_is_object(res) ? json_deep_copy(res) : json_pack("{s:b}", "ok", ok);
        json_t *ev = json_object_get(a, "event");
        if (out && ev)
            json_object_set(out, "event", ev);
        if (out && !ok && json_object_get(a, "error"))
            json_object_set(out, "error", json_object_get(a, "error"));
        char *o = out ? json_dumps(out, JSON_COMPACT) : NULL;
        puts(o ? o : ans);
        free(o);
        json_decref(out);
    } else if (ok) {
        printf("relocated %s:%u from %s (pid %d) to %s (pid %d) through the controller, id %s\n",
               ip, (unsigned)rq->client_port, rq->from,
               (int)json_integer_value(json_object_get(res, "prod_host_pid")), rq->to,
               (int)json_integer_value(json_object_get(res, "restored_pid")),
               json_string_value(json_object_get(a, "id")));
        print_timeline(json_object_get(a, "event"));
    } else {
        const json_t *r = json_object_get(json_object_get(a, "event"), "relocation");
        const char *st = json_string_value(json_object_get(r, "stage"));
        const char *er = json_string_value(json_object_get(a, "error"));
        fprintf(stderr, "honeyshift shift: %s%s%s%s (the client stays blocked)\n",
                st ? "stage " : "", st ? st : "", st ? " failed: " : "", er ? er : "failed");
    }
    json_decref(a);
    free(ans);
    return ok ? 0 : 1;
}

int cmd_shift(int argc, char **argv)
{
    const char *lab = NULL, *file = NULL, *client = NULL, *from = "web", *to = "honeypot";
    const char *key = NULL;
    bool json = false, direct = false;
    uint64_t deadline = 2000;
    static const struct option lo[] = {
        {"lab", 1, 0, 'l'}, {"topology", 1, 0, 't'}, {"client", 1, 0, 'c'}, {"from", 1, 0, 'f'},
        {"to", 1, 0, 'o'}, {"deadline", 1, 0, 'd'}, {"key", 1, 0, 'k'}, {"json", 0, 0, 'j'},
        {"direct", 0, 0, 'D'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "t:h", lo, NULL)) != -1) {
        switch (ch) {
        case 'l': lab = optarg; break;
        case 't': file = optarg; break;
        case 'c': client = optarg; break;
        case 'f': from = optarg; break;
        case 'o': to = optarg; break;
        case 'k': key = optarg; break;
        case 'j': json = true; break;
        case 'D': direct = true; break;
        case 'd':
            if (!hs_parse_u64(optarg, 600000, &deadline) || deadline == 0) {
                fprintf(stderr, "honeyshift shift: --deadline: need 1..600000 ms\n");
                return 2;
            }
            break;
        case 'h': fputs(help, stdout); return 0;
        default: fputs(help, stderr); return 2;
        }
    }
    struct hs_shift_req rq = {.from = from, .to = to, .deadline_ms = (unsigned)deadline,
                              .key_path = key};
    if (optind != argc || !client || (lab && file) ||
        hs_mig_parse_endpoint(client, &rq.client_ip, &rq.client_port) != 0) {
        fprintf(stderr, "honeyshift shift: need --client IP:PORT (see --help)\n");
        return 2;
    }
    struct hs_lab_target tg;
    char err[512];
    if (hs_lab_target_resolve(file, lab, HS_LAB_FOR_INSPECT, &tg, err, sizeof err) != 0) {
        fprintf(stderr, "honeyshift shift: %s\n", err);
        return 1;
    }
    rq.t = tg.topo;
    if (!direct && !key) { /* --key: the caller's own key, so the direct path */
        int r = shift_via_controller(&rq, tg.topo->controller.control_socket, json);
        if (r >= 0) {
            hs_lab_target_free(&tg);
            return r;
        }
    }
    struct hs_shift_result res;
    int rc = hs_shift_run(&rq, &res);
    if (json) {
        char *s = hs_shift_result_json(&res);
        puts(s);
        free(s);
    } else if (rc == 0) {
        printf("relocated %s from %s (pid %d) to %s (pid %d)\n", client, from,
               (int)res.prod_host_pid, to, (int)res.restored_pid);
        printf("  locate   %8.1f ms\n  dump     %8.1f ms (criu %.1f)\n  transfer %8.1f ms "
               "(%llu bytes, %u files)\n  restore  %8.1f ms (criu %.1f; %u other sockets "
               "closed)\n  flows    %8.1f ms\n  pause    %8.1f ms\n  total    %8.1f ms\n",
               res.locate_ms, res.dump_ms, res.dump_criu_ms, res.transfer_ms,
               (unsigned long long)res.image_bytes, res.image_files, res.restore_ms,
               res.restore_criu_ms, res.closed_others, res.flows_ms, res.pause_ms, res.total_ms);
        if (res.error[0])
            printf("  warning: %s\n", res.error);
    }
    if (rc != 0 && !json)
        fprintf(stderr, "honeyshift shift: stage %s failed: %s%s%s\n", res.stage, res.error,
                res.rollback_error[0] ? "; roll-back: " : "", res.rollback_error);
    hs_lab_target_free(&tg);
    return rc == 0 ? 0 : 1;
}
