# podman: the static vigil as podman's init (`podman run --init
# --init-path=vigil`, Debian's podman, installed when missing) and as an
# image's entrypoint: vigil is PID 1, orphans are reaped, `podman kill -s
# USR1` reaches the app and `podman stop` ends it gracefully. podman keeps
# its state private (--root, --runroot, --tmpdir under the test's temp
# dir), runs runc with cgroupfs and logs events to a file; containers run
# with --network none. Root here lacks CAP_SYS_RESOURCE, so every run
# passes rlimits no higher than the current ones (runc would fail to set
# podman's defaults).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../containers/docker_lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root (podman as root)"
IV=$(image_vigil)
is_static "$IV" || skip "$IV is not static: images hold no libc"
why=$(docker_install podman runc busybox-static) || skip "$why"
command -v podman >/dev/null || skip "podman missing after installing it"

P=$T/podman OUT=$T/vol
mkdir -p "$P" "$OUT"
chmod 1777 "$OUT"
PM() {
	timeout -k 5 "${PM_TIMEOUT:-60}" podman --root "$P/root" --runroot "$P/runroot" --tmpdir "$P/tmp" \
		--cgroup-manager cgroupfs --events-backend file --runtime runc "$@"
}
podman_cleanup() {
	local p
	PM_TIMEOUT=30 PM rm -af -t 0 >/dev/null 2>&1
	# conmon and runc of our containers name our runroot: nothing else.
	for p in $(ours_left "$P"); do
		kill -KILL "$p" 2>/dev/null
	done
	unmount_under "$T"
}
trap 'podman_cleanup; cleanup' EXIT

if ! PM info >"$T/info" 2>&1; then
	skip "podman cannot run here: $(grep -m1 -i error "$T/info" | cut -c1-300)"
fi
docker_rootfs "$T/root" "$IV"
tar -C "$T/root" -cf "$T/root.tar" .
IMG=localhost/vigil-test:base
PM import -q "$T/root.tar" "$IMG" >/dev/null 2>"$T/err"
if ! PM image exists "$IMG"; then
	skip "podman cannot import an image here: $(head -c 300 "$T/err")"
fi
echo "# podman $(PM version -f '{{.Client.Version}}' 2>/dev/null), image vigil: $IV"

# The limits: no higher than ours (raising them needs CAP_SYS_RESOURCE).
LIMITS=(--ulimit "nofile=20000:20000" --ulimit "nproc=32768:32768")
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 20000 ] || LIMITS=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)")
RUN=(--network none "${LIMITS[@]}" -v "$OUT:/out")
INIT=(--init --init-path="$IV")

prun() {
	PM run --rm "${RUN[@]}" "$@" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
}
pstart() {
	local name=$1
	shift
	PM run -d --name "$name" "${RUN[@]}" "$@" >/dev/null 2>"$T/err" </dev/null
}
stopped() { [ "$(PM inspect -f '{{.State.Status}}' "$1" 2>/dev/null)" = exited ]; }
pstop() {
	PM stop -t 30 "$1" >/dev/null 2>>"$T/err"
	if wait_for 30 stopped "$1"; then
		RC=$(PM inspect -f '{{.State.ExitCode}}' "$1")
	else
		RC=timeout
	fi
}

prun "${INIT[@]}" "$IMG" sh -c 'tr "\0" " " </proc/1/cmdline; echo; /run/podman-init --version; exit 3'
check_rc podman_init_exit_status_passes_through 3
check podman_init_makes_vigil_pid1 "$(head -c 300 "$T/out" | tr '\n' '|') $(head -c 300 "$T/err")" \
	grep -q '^/run/podman-init -- sh -c' "$T/out"
check podman_init_is_vigil "$(tail -n 1 "$T/out")" grep -q '^vigil .* - git\.vigil-' "$T/out"

prun "${INIT[@]}" "$IMG" /t/orphans -n 200 -t 20
check_rc podman_init_reaps_orphans 0

pstart grace "${INIT[@]}" "$IMG" /t/sigwait -r /out/grace.ready -t 120
if wait_file 20 "$OUT/grace.ready"; then
	pstop grace
	# sigwait exits 15 on TERM: podman's SIGKILL after 30 s would give 137.
	check_rc podman_stop_reaches_app_and_exits_gracefully 15
else
	fail podman_stop_reaches_app_and_exits_gracefully "app not ready: $(cat "$T/err")"
fi

pstart usr1 "${INIT[@]}" "$IMG" /t/sigrecv -o /out/usr1.sig -r /out/usr1.ready -x TERM
if wait_file 20 "$OUT/usr1.ready"; then
	PM kill -s USR1 usr1 >/dev/null 2>>"$T/err"
	if wait_line 10 "$OUT/usr1.sig" '^10 USR1'; then ok podman_kill_usr1_reaches_app
	else fail podman_kill_usr1_reaches_app "sigrecv got: $(cat "$OUT/usr1.sig" 2>/dev/null)"; fi
	pstop usr1
	check_rc podman_kill_usr1_then_stop_gives_0 0
else
	fail podman_kill_usr1_reaches_app "app not ready: $(cat "$T/err")"
fi

pstart i143 "${INIT[@]}" "$IMG" sh -c 'echo >/out/i143.ready; exec sleep 600'
if wait_file 20 "$OUT/i143.ready"; then
	pstop i143
	check_rc podman_init_stop_gives_143 143
else
	fail podman_init_stop_gives_143 "not started: $(cat "$T/err")"
fi

# The same binary as the image's entrypoint.
prun --entrypoint /vigil "$IMG" -- sh -c 'tr "\0" " " </proc/1/cmdline; exit 4'
check_rc podman_entrypoint_exit_status_passes_through 4
check podman_entrypoint_vigil_is_pid1 "$(head -c 300 "$T/out")" grep -q '^/vigil -- sh -c' "$T/out"

summary
