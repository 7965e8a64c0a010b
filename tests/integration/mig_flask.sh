#!/bin/bash
# mig_flask.sh - live relocation of a flask connection into the honeypot (see mig_service.sh).
exec "$(cd "$(dirname "$0")" && pwd)/mig_service.sh" flask "$@"
