# docker_build: Dockerfile.test and examples/Dockerfile built for real by a
# private dockerd: Dockerfile.test builds the release binary from source in
# Debian 12 (scripts/release.sh in its build stage) and ends in a scratch
# image holding only /vigil; examples/Dockerfile copies that binary into an
# application image with vigil as its ENTRYPOINT. No registry is reached:
# the debian:12 base is a debootstrap'd Debian 12 (from the machine's own
# Debian mirror) imported with `docker import`, cached beside the build.
# The test stage builds; with VIGIL_DOCKER_SUITE=1 the release build's
# unit and behaviour tests also run in it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../containers/docker_lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)

[ "$(id -u)" = 0 ] || skip "needs root (dockerd)"
why=$(docker_install docker.io busybox-static debootstrap) || skip "$why"
[ -x "$DOCKER" ] || skip "$DOCKER missing after installing docker.io"
trap 'dockerd_stop; unmount_under "$T"; cleanup' EXIT
if ! dockerd_start "$T/dk"; then
	skip "dockerd cannot start here: $(tr '\n' ' ' <"$T/dockerd.why" | cut -c1-300)"
fi

# The machine's Debian mirror for bookworm (as scripts/release.sh uses).
mirror() {
	local m
	m=$(apt-get indextargets --format '$(REPO_URI) $(CODENAME)' 'Created-By: Packages' 2>/dev/null |
		awk '$2 == "bookworm" { print $1; exit }')
	echo "${m:-http://deb.debian.org/debian/}"
}

# debian:12 for FROM: a minbase debootstrap, made once per build dir.
CACHE=${VIGIL_DOCKER_CACHE:-$(dirname "$VIGIL_REAL")/../docker-cache}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
BASE_TAR=$CACHE/debian-12-minbase.tar
if [ ! -s "$BASE_TAR" ]; then
	t0=$(now_ms)
	if ! timeout -k 5 600 debootstrap --variant=minbase bookworm "$T/debian" "$(mirror)" \
		>"$T/debootstrap.log" 2>&1; then
		skip "no Debian 12 base image: debootstrap failed: $(tail -n 1 "$T/debootstrap.log")"
	fi
	tar -C "$T/debian" -cf "$BASE_TAR.tmp" . && mv "$BASE_TAR.tmp" "$BASE_TAR"
	rm -rf "$T/debian"
	echo "# debian:12 base made by debootstrap in $(( ($(now_ms) - t0) / 1000 )) s ($(mirror))"
fi
D_TIMEOUT=300 D import "$BASE_TAR" debian:12 >/dev/null
check debian_base_imported "docker import of $BASE_TAR failed" D image inspect debian:12 >/dev/null

# Dockerfile.test: the build stage runs scripts/release.sh; apt needs the
# host's network (the daemon has no bridge).
t0=$(now_ms)
D_TIMEOUT=900 D build --network host -f "$SRC/Dockerfile.test" -t vigil "$SRC" >"$T/build.log" 2>&1
RC=$?
echo "# Dockerfile.test built in $(( ($(now_ms) - t0) / 1000 )) s"
if [ "$RC" != 0 ]; then
	tail -n 20 "$T/build.log" | sed 's/^/# /'
fi
check_rc dockerfile_test_builds_release_from_source 0
check dockerfile_test_release_script_ran "$(grep 'release: vigil-static' "$T/build.log")" \
	grep -q '^release: vigil-static .* bytes' "$T/build.log"

# The last stage: scratch with one layer, the binary (its size, not an OS).
layers=$(D image inspect -f '{{len .RootFS.Layers}} {{.Size}}' vigil 2>/dev/null)
check release_image_is_scratch_with_only_vigil "layers and size: $layers" \
	eval '[ "${layers%% *}" = 1 ] && [ "${layers#* }" -le 708080 ]'
D run --rm --network none vigil >"$T/out" 2>"$T/err"
RC=$?
check_rc release_image_runs 0
check release_image_entrypoint_is_vigil "$(cat "$T/out" "$T/err")" grep -q '^vigil .*static, supervisor' "$T/out"

# The test stage, whose CMD runs the suite. To run it, --privileged would
# ask for every capability, and root here lacks CAP_SYS_RESOURCE, so runc
# refuses it: all but that one instead.
D_TIMEOUT=300 D build --network host -f "$SRC/Dockerfile.test" --target test -t vigil-test:suite "$SRC" \
	>"$T/build-test.log" 2>&1
RC=$?
check_rc dockerfile_test_suite_stage_builds 0
ALMOST_PRIVILEGED=(--cap-add ALL --security-opt seccomp=unconfined --security-opt apparmor=unconfined
	--security-opt systempaths=unconfined)
bnd=$(status_field $$ CapBnd)
(( (16#$bnd >> 24) & 1 )) || ALMOST_PRIVILEGED+=(--cap-drop SYS_RESOURCE)
# Running the suite in the image takes about 95 s more; CI has just run the
# same suite outside, so it runs here only when asked (VIGIL_DOCKER_SUITE=1).
if [ "${VIGIL_DOCKER_SUITE:-0}" = 1 ]; then
	t0=$(now_ms)
	D_TIMEOUT=600 D run --rm --network none "${ALMOST_PRIVILEGED[@]}" --entrypoint sh vigil-test:suite -c \
		'meson setup /b -Dbuildtype=release >/dev/null && ninja -C /b >/dev/null &&
		 meson test -C /b --num-processes 1 --print-errorlogs' >"$T/suite.log" 2>&1
	RC=$?
	echo "# release build's suite in the test image: $(grep -E '^(Ok|Fail|Skipped):' "$T/suite.log" | tr -s ' \n' ' ')in $(( ($(now_ms) - t0) / 1000 )) s"
	[ "$RC" = 0 ] || grep -E '^ *[0-9]+/[0-9]+ .*(FAIL|TIMEOUT)' "$T/suite.log" | sed 's/^/# /'
	check_rc release_suite_passes_in_test_image 0
else
	echo "# the release suite in the test image: not run (VIGIL_DOCKER_SUITE=1 runs it)"
fi

# examples/Dockerfile, as README shows it: vigil copied from the release
# image (tagged "vigil", the default of its VIGIL_IMAGE) into an
# application image; the base here is the busybox test root.
docker_rootfs "$T/root" "$(image_vigil)"
rm -f "$T/root/vigil"
tar -C "$T/root" -cf "$T/root.tar" .
D import "$T/root.tar" vigil-test:base >/dev/null
D_TIMEOUT=300 D build --build-arg BASE=vigil-test:base \
	-f "$SRC/examples/Dockerfile" -t vigil-example:test "$SRC" >"$T/build-example.log" 2>&1
RC=$?
check_rc example_dockerfile_builds 0
D run --rm --network none vigil-example:test sh -c 'tr "\0" " " </proc/1/cmdline; exit 5' >"$T/out" 2>"$T/err"
RC=$?
check_rc example_image_passes_exit_status 5
check example_image_runs_vigil_as_pid1 "$(head -c 200 "$T/out")" grep -q '^/vigil -- sh -c' "$T/out"
D run --rm --network none vigil-example:test >"$T/out" 2>"$T/err"
RC=$?
check_rc example_image_default_command_missing_is_127 127
check example_image_says_what_is_missing "$(cat "$T/err")" grep -q '^vigil: .*/usr/local/bin/app' "$T/err"

summary
