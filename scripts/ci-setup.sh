#!/usr/bin/env bash
# Install the real components the integration tests run on a Debian 12 machine:
# PostgreSQL server binaries, Prometheus (+ promtool), Alertmanager (+ amtool), Chromium, and for the
# sufficiency report's tests poppler-utils (pdftoppm, pdftotext) and a font
# Chromium prints the PDF with (DejaVu), with the condensed faces the wall
# display's LA names use; Node.js and npm for the official AsyncAPI parser; wrk,
# the benchmarks' HTTP load generator.
# Idempotent and non-interactive: installs only what is missing, runs
# `apt-get update` at most once, and never leaves the packaged PostgreSQL or
# Prometheus and Alertmanager services running (tests start their own servers on free ports).
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n --preserve-env=DEBIAN_FRONTEND)
else
    echo "ci-setup: needs root (or passwordless sudo) to install packages" >&2
    exit 1
fi

have_postgres() {
    command -v initdb >/dev/null && command -v pg_ctl >/dev/null && return 0
    compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null
}

DEJAVU=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
missing=()
have_postgres || missing+=(postgresql)
{ command -v prometheus && command -v promtool; } >/dev/null || missing+=(prometheus)
command -v amtool >/dev/null || missing+=(prometheus-alertmanager)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
{ command -v pdftoppm && command -v pdftotext; } >/dev/null || missing+=(poppler-utils)
[[ -f $DEJAVU ]] || missing+=(fonts-dejavu-core)
# The wall display's condensed LA names (the wall test checks nothing is cut off).
CONDENSED=/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf
[[ -e $CONDENSED ]] || missing+=(fonts-dejavu-extra)
# Node.js and npm run the official AsyncAPI parser (`make env` installs it with npm ci).
{ command -v node && command -v npm; } >/dev/null || missing+=(nodejs npm)
# wrk: the benchmarks' HTTP load generator (a Python one was the bottleneck).
command -v wrk >/dev/null || missing+=(wrk)

if ((${#missing[@]} == 0)); then
    echo "ci-setup: every package the tests need is already installed"
    exit 0
fi
echo "ci-setup: installing ${missing[*]}"

# policy-rc.d answering 101 tells invoke-rc.d and deb-systemd-invoke not to start
# the services the packages ship. Docker's Debian images already have one; keep it.
POLICY=/usr/sbin/policy-rc.d
if [[ ! -e $POLICY ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
    "${SUDO[@]}" chmod 755 "$POLICY"
    trap '"${SUDO[@]}" rm -f "$POLICY"' EXIT
fi

"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

# On a host where systemd runs, the units are still enabled for the next boot,
# and a service may have started anyway: stop and disable both, ignoring absence.
if [[ -d /run/systemd/system ]]; then
    for unit in postgresql prometheus prometheus-alertmanager; do
        "${SUDO[@]}" systemctl disable --now "$unit" >/dev/null 2>&1 || true
    done
fi

command -v prometheus >/dev/null && command -v promtool >/dev/null
command -v amtool >/dev/null
[[ -x /usr/bin/chromium ]]
command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null
[[ -f $DEJAVU ]]
[[ -e $CONDENSED ]]
have_postgres
command -v npm >/dev/null
command -v wrk >/dev/null
echo "ci-setup: done"
