/* lab_ready.h - pure reading of the controller's status answer: are the lab's switches ready? */
#ifndef HS_LAB_LAB_READY_H
#define HS_LAB_LAB_READY_H

#include <stddef.h>

#include "config/topology.h"

/* Check a {"cmd":"status"} answer (JSON text) against the topology. Returns 1 when every switch
 * of t is listed (by name, or by "dpid") as connected and ready, 0 when not yet (*n_ready says
 * how many are), -1 when the text is not a successful status answer (message in err). */
int hs_lab_ctl_ready(const struct hs_topology *t, const char *json, size_t *n_ready, char *err,
                     size_t err_size);

#endif
