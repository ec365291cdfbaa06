#!/usr/bin/env bash
# run: build vigil six ways and run the suite on each:
#   release      full build (supervisor, libcap-ng, libseccomp), unit + behaviour
#   asan         the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   static       core only, static with musl: the binary that goes into images
#   static-full  the release's vigil-static (every feature, static with musl,
#                libraries built from Debian's sources by scripts/release.sh,
#                cached in build-release/), behaviour tests, among them
#                the runc and pod tests (runc and busybox-static installed
#                here; VIGIL_REQUIRE_RUNC=1 makes their skip a failure) and
#                the container engines: Docker (ENTRYPOINT and init,
#                compose), Dockerfile.test and examples/Dockerfile built,
#                podman (VIGIL_REQUIRE_ENGINES=1 makes their skip a failure)
#   fuzz         clang libFuzzer targets (ASan+UBSan) of tests/fuzz, each for
#                FUZZ_SECONDS (15); a clean target is a pass, a finding a failure
#   valgrind     the behaviour tests with vigil under valgrind's memcheck
# Ends with one "N passed, N failed, N skipped" line summed over all of them
# (skipped: a test that cannot run on this machine).
set -u
cd "$(dirname "$0")/.."
scripts/deps.sh || exit 1

declare -A setup=(
	[release]="-Dbuildtype=release"
	[asan]="-Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false"
	[static]="-Dbuildtype=minsize -Dstatic=true -Dsupervisor=disabled -Dunit_tests=disabled"
	[fuzz]="-Dbuildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false -Dfuzz=true -Dunit_tests=disabled"
	[valgrind]="-Dbuildtype=debugoptimized -Dvalgrind=true -Dunit_tests=disabled"
)
# The last two stages run only their own suite.
declare -A suite=([fuzz]="--suite fuzz" [valgrind]="--suite valgrind")
passed=0 failed=0 skipped=0 status=0
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

for b in release asan static static-full fuzz valgrind; do
	dir=build-test-$b
	cc=cc
	[ "$b" = static ] && cc=musl-gcc
	[ "$b" = fuzz ] && cc=clang
	t_stage=$SECONDS
	if [ "$b" = static-full ]; then
		# release.sh configures and builds it (and checks sizes and linkage).
		dir=build-release/full
		echo "=== $b build ($dir, by scripts/release.sh) ==="
		if ! scripts/release.sh >build-test-static-full.release.log 2>&1; then
			cat build-test-static-full.release.log; echo "release build failed"
			failed=$((failed + 1)); status=1; continue
		fi
		cat build-test-static-full.release.log
		# Its runc and pod tests run it in real containers: they must
		# run here, not skip.
		scripts/deps.sh runc busybox-static || echo "installing runc and busybox-static failed"
		export VIGIL_REQUIRE_RUNC=1
		# So must the Docker and podman tests (they install the engines).
		export VIGIL_REQUIRE_ENGINES=1
	else
		echo "=== $b build ($dir) ==="
	fi
	if [ ! -d "$dir" ]; then
		# shellcheck disable=SC2086
		CC=$cc meson setup "$dir" ${setup[$b]} >"$dir.setup.log" 2>&1 ||
			{ cat "$dir.setup.log"; echo "setup of $b failed"; failed=$((failed + 1)); status=1; continue; }
	fi
	if ! ninja -C "$dir" >"$dir.build.log" 2>&1; then
		cat "$dir.build.log"; echo "build of $b failed"; failed=$((failed + 1)); status=1; continue
	fi
	# shellcheck disable=SC2086
	out=$(meson test -C "$dir" ${suite[$b]:-} --print-errorlogs -v --num-processes 1 2>&1)
	rc=$?
	printf '%s\n' "$out"
	ok=$(printf '%s\n' "$out" | awk '/^Ok:/ {print $2}')
	bad=$(printf '%s\n' "$out" | awk '/^(Fail|Timeout|Unexpected Pass):/ {s += $NF} END {print s + 0}')
	# A script that cannot run here (exit 77: no engine) is neither.
	skip=$(printf '%s\n' "$out" | awk '/^Skipped:/ {print $2}')
	passed=$((passed + ${ok:-0}))
	skipped=$((skipped + ${skip:-0}))
	failed=$((failed + bad))
	[ $rc -ne 0 ] && status=1
	echo "=== $b stage took $((SECONDS - t_stage)) s ==="
done
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
