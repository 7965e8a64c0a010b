/* shift_ofctl.h - installing and removing the relocation's flows with ovs-ofctl (I/O). */
#ifndef HS_MIG_SHIFT_OFCTL_H
#define HS_MIG_SHIFT_OFCTL_H

#include <stddef.h>

/* `ovs-ofctl -O OpenFlow13 add-flows BRIDGE -` with lines on stdin; -1 with its stderr. */
int hs_ofctl_add_flows(const char *bridge, const char *lines, size_t len, char *err,
                       size_t err_size);
/* `ovs-ofctl -O OpenFlow13 del-flows BRIDGE SELECTOR`; -1 with its stderr. */
int hs_ofctl_del_flows(const char *bridge, const char *selector, char *err, size_t err_size);

#endif
