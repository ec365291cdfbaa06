#!/usr/bin/env bash
# release: build the two release binaries with one command, static with musl:
#   vigil-static       every feature: supervisor mode, libcap-ng, libseccomp
#   vigil-core-static  the core alone
# libcap-ng and libseccomp are built for musl from Debian's own source
# packages, fetched through a private apt list: the system's apt
# configuration is never touched. Everything downloaded or built stays in
# build-release/ (VIGIL_RELEASE_DIR to move it; its name must start with
# "build" to stay ignored). Prints the sizes and the sha256 sums, which are
# also written to build-release/out/SHA256SUMS beside the binaries.
set -eu
cd "$(dirname "$0")/.."
top=$PWD
B=$(realpath -m "${VIGIL_RELEASE_DIR:-build-release}")
D=$B/deps      # sources, private apt state, musl prefix of the libraries
OUT=$B/out
SUITE=${VIGIL_DEBIAN_SUITE:-bookworm}
FULL_MAX=708080   # Debian's tini-static, which has none of these features
STRETCH_MAX=400000
CORE_MAX=65536
t_start=$(date +%s)

say() { printf 'release: %s\n' "$*"; }
die() { printf 'release: %s\n' "$*" >&2; exit 1; }

# run LOGNAME CMD...: quiet on success; the log's tail on failure.
run() {
	local log=$B/logs/$1.log
	shift
	if ! "$@" >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "failed: $* (full log: $log)"
	fi
}

# mirror, apt_private, debsrc_setup: the private apt configuration.
. scripts/debian-src.sh

fetch_sources() {
	mkdir -p "$D/src"
	run apt-update debsrc_setup
	say "sources from: $(cat "$D/apt/sources.list")"
	# apt-get source checks each file against the signed Sources index.
	(cd "$D/src" && run apt-source apt_private source --only-source libcap-ng libseccomp)
}

# The kernel's uapi headers for musl: musl-gcc searches only musl's own
# include dir, and the libraries (and vigil's user.c) need linux/ and asm/.
# Only these three trees are exposed, never glibc's headers.
kernel_headers() {
	[ -d /usr/include/linux ] || die "kernel headers missing (/usr/include/linux: linux-libc-dev)"
	mkdir -p "$D/kinc"
	ln -sfn /usr/include/linux "$D/kinc/linux"
	ln -sfn /usr/include/asm-generic "$D/kinc/asm-generic"
	ln -sfn "/usr/include/$(gcc -dumpmachine)/asm" "$D/kinc/asm"
}

# Section GC in vigil's final link then drops every function vigil does not
# call, among them libcap-ng's capng_change_id with its initgroups and
# getpwuid calls.
dep_cflags() { echo "-Os -ffunction-sections -fdata-sections -isystem $D/kinc"; }

build_autotools() {  # NAME SRCDIR CONFIGURE-ARGS...
	local name=$1 src=$2
	shift 2
	(
		cd "$src"
		CFLAGS=$(dep_cflags)
		export CC=musl-gcc CFLAGS
		run "$name-configure" ./configure --prefix="$D/prefix" --host=x86_64-linux-musl \
			--enable-static --disable-shared "$@"
		run "$name-make" make -j"$(nproc)" -C src
		run "$name-install" make -C src install
	)
}

build_deps() {
	local stamp=$D/prefix/.built capng seccomp
	if [ -f "$stamp" ] && [ -f "$D/prefix/lib/libcap-ng.a" ] && [ -f "$D/prefix/lib/libseccomp.a" ]; then
		say "libraries cached: $(cat "$stamp")"
		return
	fi
	rm -rf "$D/src" "$D/prefix"
	fetch_sources
	capng=$(find "$D/src" -maxdepth 1 -type d -name 'libcap-ng-*' | head -n 1)
	seccomp=$(find "$D/src" -maxdepth 1 -type d -name 'libseccomp-*' | head -n 1)
	if [ -z "$capng" ] || [ -z "$seccomp" ]; then
		die "apt-get source left no source trees in $D/src"
	fi
	say "building $(basename "$seccomp") for musl"
	build_autotools seccomp "$seccomp" --disable-python
	run seccomp-headers make -C "$seccomp/include" install
	run seccomp-pc make -C "$seccomp" install-pkgconfDATA
	say "building $(basename "$capng") for musl"
	build_autotools capng "$capng" --without-python --without-python3
	echo "$(basename "$seccomp") $(basename "$capng") (Debian $SUITE sources)" >"$stamp"
}

# meson_build DIR KIND OPTIONS...: configure (again) and build with musl.
meson_build() {
	local dir=$1 kind=$2
	shift 2
	# pkg_config_path is kept by meson, so a later re-generation run by
	# ninja alone still finds the musl libraries first; PKG_CONFIG_LIBDIR
	# keeps the system's glibc ones out of this run entirely.
	local opts=(-Dbuildtype=minsize -Dstatic=true -Dunit_tests=disabled -Dbuild_kind="$kind"
		-Dpkg_config_path="$D/prefix/lib/pkgconfig" "$@")
	export CC=musl-gcc PKG_CONFIG_LIBDIR=$D/prefix/lib/pkgconfig PKG_CONFIG_PATH=
	if [ -f "$dir/build.ninja" ]; then
		run "$kind-setup" meson setup --reconfigure "$dir" "${opts[@]}"
	else
		run "$kind-setup" meson setup "$dir" "${opts[@]}"
	fi
	run "$kind-build" ninja -C "$dir"
}

# The release must not reach NSS (or any libc user database code) at run
# time: vigil reads /etc/passwd and /etc/group itself. Fail if the link
# pulled in any of it, and if the binary is not fully static.
check_binary() {
	local bin=$1 bad
	bad=$(nm "$bin" | awk '$2 ~ /^[TtWw]$/ && $3 ~ /^(getpw|getgr|initgroups|getgrouplist|__nscd|dlopen)/ { print $3 }')
	[ -z "$bad" ] || die "$bin links user-database code: $(echo "$bad" | tr '\n' ' ')"
	readelf -l "$bin" | grep -q INTERP && die "$bin has a program interpreter (not static)"
	readelf -d "$bin" | grep -q NEEDED && die "$bin needs shared libraries"
	return 0
}

mkdir -p "$B/logs" "$OUT"
run deps scripts/deps.sh make gperf dpkg-dev xz-utils
command -v musl-gcc >/dev/null || die "musl-gcc not found (musl-tools)"
kernel_headers
t0=$(date +%s)
build_deps
t_deps=$(( $(date +%s) - t0 ))

meson_build "$B/full" static -Dsupervisor=enabled -Dcapng=enabled -Dseccomp=enabled \
	-Dc_args="-isystem $D/kinc"
meson_build "$B/core" core-static -Dsupervisor=disabled
check_binary "$B/full/vigil"
check_binary "$B/core/vigil"
strip -o "$OUT/vigil-static" "$B/full/vigil"
strip -o "$OUT/vigil-core-static" "$B/core/vigil"
"$OUT/vigil-static" --version >/dev/null || die "vigil-static --version failed"
"$OUT/vigil-core-static" --version >/dev/null || die "vigil-core-static --version failed"

full=$(stat -c %s "$OUT/vigil-static")
core=$(stat -c %s "$OUT/vigil-core-static")
stretch="within the 400 KB stretch target"
[ "$full" -le $STRETCH_MAX ] || stretch="over the 400 KB stretch target"
kib() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1024 }'; }
printf 'release: vigil-static      %8d bytes (%s KiB) stripped; limit %d (tini-static), %s\n' \
	"$full" "$(kib "$full")" $FULL_MAX "$stretch"
printf 'release: vigil-core-static %8d bytes (%s KiB) stripped; limit %d (64 KiB)\n' \
	"$core" "$(kib "$core")" $CORE_MAX
(cd "$OUT" && sha256sum vigil-static vigil-core-static >SHA256SUMS)
sed 's/^/release: /' "$OUT/SHA256SUMS"
say "written to ${OUT#"$top"/}/ (libraries $(cat "$D/prefix/.built"); built in ${t_deps}s; total $(( $(date +%s) - t_start ))s)"
[ "$full" -le $FULL_MAX ] || die "vigil-static is over its size limit"
[ "$core" -le $CORE_MAX ] || die "vigil-core-static is over its size limit"
