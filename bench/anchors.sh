#!/usr/bin/env bash
# anchors: build tini, dumb-init and catatonit from Debian's source packages
# the way vigil-core is built (musl, static, -Os, section GC, no unwind
# tables, stripped), so the bench compares programs, not libcs. Sources come
# through the private apt configuration of scripts/debian-src.sh; the
# system's apt configuration is never touched.
#
# usage: bench/anchors.sh DIR
# Leaves DIR/out/NAME (the binary) and DIR/out/NAME.note (one line: how it
# was built, or why it could not be) for each anchor; never fails as a
# whole, so one missing source package costs only its own column.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
D=$(realpath -m "${1:?usage: anchors.sh DIR}")
SUITE=${VIGIL_DEBIAN_SUITE:-bookworm}
OUT=$D/out
SRC=$D/src
# vigil-core's flags (meson.build, static minsize build), then stripped.
CFLAGS=(-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables
	-fno-unwind-tables -static -Wl,--gc-sections -Wl,-z,noseparate-code
	-Wl,--build-id=none)

. "$ROOT/scripts/debian-src.sh"

note() { printf '%s\n' "$2" >"$OUT/$1.note"; }
say() { printf 'bench: anchors: %s\n' "$*" >&2; }

# The one file of a .dsc's Checksums-Sha256 list whose name matches PATTERN,
# checked: apt-get source checked the .dsc against the signed index, so a
# file it fetched before failing on another can still be trusted this way.
verified() {
	local dsc=$1 pattern=$2 sum name
	read -r sum _ name < <(awk '/^Checksums-Sha256:/ { on = 1; next }
		/^[^ ]/ { on = 0 } on { print $1, $2, $3 }' "$dsc" | grep -E " $pattern\$") ||
		return 1
	[ -f "$SRC/$name" ] && echo "$sum  $SRC/$name" | sha256sum -c --quiet - >/dev/null 2>&1 &&
		echo "$SRC/$name"
}

# fetch NAME: unpack Debian's source package NAME into $SRC/NAME-*/. With
# Debian's packaging diff missing on the mirror, the verified upstream
# tarball alone (the anchors' Debian patches touch no code path measured
# here, but the note says so).
fetch() {
	local name=$1 log=$D/logs/source-$1.log dsc orig
	FETCH_NOTE="Debian $SUITE source package"
	if (cd "$SRC" && apt_private source --only-source "$name") >"$log" 2>&1; then
		return 0
	fi
	dsc=$(ls "$SRC/${name}"_*.dsc 2>/dev/null | head -n 1)
	orig=${dsc:+$(verified "$dsc" "${name}_[^ ]*\.orig\.tar\.[a-z0-9]+")}
	if [ -z "$orig" ]; then
		FETCH_NOTE="no source: $(grep -m 1 -E '^(E|W):' "$log" | cut -c 1-120)"
		return 1
	fi
	rm -rf "$SRC/$name-upstream" && mkdir -p "$SRC/$name-upstream" &&
		tar -xf "$orig" -C "$SRC/$name-upstream" --strip-components=1 || {
		FETCH_NOTE="cannot unpack $(basename "$orig")"
		return 1
	}
	FETCH_NOTE="upstream tarball of Debian's $(basename "$dsc" .dsc) (its packaging diff: $(grep -m 1 -oE '[0-9]{3} +Not Found|Hash Sum mismatch' "$log" || echo 'not fetched'))"
	return 0
}

srcdir() { find "$SRC" -maxdepth 1 -type d -name "$1-*" | sort | head -n 1; }

# build NAME SRCFILE [extra cc args]: one translation unit each.
build() {
	local name=$1 file=$2
	shift 2
	if musl-gcc "${CFLAGS[@]}" "$@" -o "$OUT/$name.tmp" "$file" >"$D/logs/build-$name.log" 2>&1 &&
		strip -o "$OUT/$name" "$OUT/$name.tmp"; then
		rm -f "$OUT/$name.tmp"
		note "$name" "$FETCH_NOTE, musl-gcc static -Os, stripped"
	else
		rm -f "$OUT/$name" "$OUT/$name.tmp"
		note "$name" "build failed: $(grep -m 1 'error' "$D/logs/build-$name.log" | cut -c 1-120)"
	fi
}

# The version a tree says it is, for the generated config headers.
version_of() { sed -n '1s/^[^(]*(\([^-)]*\).*/\1/p' "$1/debian/changelog" 2>/dev/null; }

build_tini() {
	local s v
	s=$(srcdir tini) && [ -n "$s" ] || return
	v=$(version_of "$s")
	v=${v:-$(sed -n 's/.*tini_VERSION_MAJOR \([0-9]*\).*/\1/p' "$s/CMakeLists.txt")}
	IFS=. read -r ma mi pa <<<"${v:-0.0.0}"
	sed -e "s/@tini_VERSION_MAJOR@/$ma/; s/@tini_VERSION_MINOR@/$mi/" \
		-e "s/@tini_VERSION_PATCH@/${pa:-0}/; s/@tini_VERSION_GIT@//" \
		"$s/src/tiniConfig.h.in" >"$s/src/tiniConfig.h"
	build tini "$s/src/tini.c"
}

build_catatonit() {
	local s v
	s=$(srcdir catatonit) && [ -n "$s" ] || return
	v=$(version_of "$s")
	sed -e 's/@PACKAGE_NAME@/catatonit/' -e "s/@PACKAGE_VERSION@/${v:-0}/" \
		-e 's/@PACKAGE_BUGREPORT@//; s/@PACKAGE_URL@//' "$s/config.h.in" >"$s/config.h"
	build catatonit "$s/catatonit.c"
}

build_dumb_init() {
	local s
	s=$(srcdir dumb-init) && [ -n "$s" ] || return
	build dumb-init "$s/dumb-init.c"
}

main() {
	local name
	mkdir -p "$OUT" "$SRC" "$D/logs"
	if [ -f "$OUT/.built" ] && [ -x "$OUT/tini" ] && [ -x "$OUT/dumb-init" ] && [ -x "$OUT/catatonit" ]; then
		say "cached in $OUT"
		return 0
	fi
	command -v musl-gcc >/dev/null || {
		for name in tini dumb-init catatonit; do note "$name" "musl-gcc not found (musl-tools)"; done
		return 0
	}
	rm -rf "$SRC" && mkdir -p "$SRC"
	if ! debsrc_setup >"$D/logs/apt-update.log" 2>&1; then
		for name in tini dumb-init catatonit; do
			note "$name" "no source: apt-get update of deb-src $SUITE failed (see $D/logs)"
		done
		return 0
	fi
	for name in tini dumb-init catatonit; do
		say "fetching and building $name"
		if fetch "$name"; then
			"build_${name//-/_}"
		else
			note "$name" "$FETCH_NOTE"
		fi
	done
	[ -x "$OUT/tini" ] && [ -x "$OUT/dumb-init" ] && [ -x "$OUT/catatonit" ] && date -u +%F >"$OUT/.built"
	return 0
}

main
