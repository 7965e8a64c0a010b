#!/bin/bash
# mig_node.sh - live relocation of a node connection into the honeypot (see mig_service.sh).
exec "$(cd "$(dirname "$0")" && pwd)/mig_service.sh" node "$@"
