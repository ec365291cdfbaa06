#!/usr/bin/env bash
# deps: install what building and testing vigil needs, from Debian's
# archive, only when something is missing (so a second run is instant).
# Extra package names given as arguments are installed the same way.
set -eu
pkgs=(meson ninja-build pkg-config gcc libc6-dev libcap-ng-dev libseccomp-dev
      check musl-tools util-linux bsdutils procps jq strace
      groff-base man-db clang libclang-rt-dev valgrind "$@")
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]} (run as root or install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run (a test installing an engine) instead of failing.
lock=(-o DPkg::Lock::Timeout=300)
apt-get "${lock[@]}" update -qq
apt-get "${lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
