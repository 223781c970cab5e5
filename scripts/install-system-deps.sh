#!/usr/bin/env bash
# System packages the test suite needs, installed only when missing (CI runs as root).
#
# One place for every Debian package: add a line to PACKAGES as "<command>:<package>", where
# <command> is an executable whose presence proves the package is installed.
# `make system-deps` (and so `make test`) calls this script.
set -euo pipefail

PACKAGES=(
    "virtuoso-t:virtuoso-opensource"   # tests/test_virtuoso.py (issue 9)
    "chromium:chromium"                 # tests/test_web_browser.py (issue 8)
)

missing=()
for entry in "${PACKAGES[@]}"; do
    command -v "${entry%%:*}" >/dev/null 2>&1 || missing+=("${entry#*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    sudo=""
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; fi
    if [ -z "$sudo" ]; then
        echo "install-system-deps: missing ${missing[*]} and not root; install them with" \
             "'apt-get install ${missing[*]}' (tests that need them will skip)." >&2
        exit 0
    fi
else
    sudo=""
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: missing ${missing[*]} and no apt-get; install them by hand" \
         "(tests that need them will skip)." >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-system-deps: installing ${missing[*]}" >&2
if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
    # A fresh image has no package lists yet: fetch them once, then try again.
    $sudo apt-get update -q >/dev/null
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
