# docker: the static vigil under a real Docker engine (Debian's docker.io,
# installed when missing), the two ways users meet it:
#  - as the ENTRYPOINT of an image imported from a tarball: PID 1, exit
#    codes, `docker stop` graceful, `docker kill -s USR1`, --term-delay,
#    --grace, --state-file against the runtime's restart policy, an OOM kill
#    under `-m 32m`, --read-only and preflight, a hardened --user drop, and
#    examples/compose.yaml's entrypoint service with the same flags;
#  - as the daemon's init (`dockerd --init-path`), under its own name and as
#    docker-init: `docker run --init` makes it PID 1, `docker info` shows
#    its version with no parse error in the daemon's log, `docker stop`
#    gives 143, and compose's `init: true` service.
# The daemon is private (its own data root, exec root, socket and pid
# file; no bridge, no iptables) and containers run with --network none.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../containers/docker_lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
: "${CAPNG:=0}" "${SECCOMP:=0}"

[ "$(id -u)" = 0 ] || skip "needs root (dockerd)"
[ "$SUPERVISOR" = 1 ] || skip "needs a supervisor build"
IV=$(image_vigil)
is_static "$IV" || skip "$IV is not static: images hold no libc"
why=$(docker_install docker.io busybox-static) || skip "$why"
[ -x "$DOCKER" ] || skip "$DOCKER missing after installing docker.io"
COMPOSE=
if why=$(docker_install docker-compose) && command -v docker-compose >/dev/null; then
	COMPOSE=$(command -v docker-compose)
else
	echo "# docker-compose not available ($why): compose services tested as docker run"
fi

trap 'dockerd_stop; unmount_under "$T"; cleanup' EXIT
OUT=$T/vol STATE=$T/state BIN=$T/bin
mkdir -p "$OUT" "$STATE" "$BIN"
chmod 1777 "$OUT" "$STATE"
# The init as the daemon sees it: a file named vigil, then docker-init.
cp "$IV" "$BIN/vigil"
cp "$IV" "$BIN/docker-init"

if ! dockerd_start "$T/dk" --init-path "$BIN/vigil"; then
	skip "dockerd cannot start here: $(tr '\n' ' ' <"$T/dockerd.why" | cut -c1-300)"
fi
echo "# private dockerd $(D version -f '{{.Server.Version}}'), image vigil: $IV"

docker_rootfs "$T/root" "$IV"
tar -C "$T/root" -cf "$T/root.tar" .
BASE=vigil-test:base IMG=vigil-test:entry
D import "$T/root.tar" "$BASE" >/dev/null &&
	D import -c 'ENTRYPOINT ["/vigil", "--"]' "$T/root.tar" "$IMG" >/dev/null
check images_imported_from_tarball "docker import failed" D image inspect "$IMG" >/dev/null

# dk NAME ARGS...: docker run -d with the usual options; VOPTS (vigil's
# flags) switch the entrypoint to /vigil itself.
RUN=(--network none -v "$OUT:/out" -v "$STATE:/state")
dk_run() {
	local name=$1
	shift
	D run -d --name "$name" "${RUN[@]}" "$@" >/dev/null 2>"$T/err"
}
# drun ARGS...: docker run in the foreground; stdout, stderr and status in
# $T/out, $T/err and RC.
drun() {
	D run "$@" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
}
# finished NAME: wait (bounded) for the container to stop; exit code in RC.
finished() {
	if wait_for "${2:-30}" not_running "$1"; then
		RC=$(exit_of "$1")
	else
		RC=timeout
	fi
	D logs "$1" >"$T/out" 2>"$T/err"
}

# --- ENTRYPOINT ---------------------------------------------------------
D run --rm "${RUN[@]}" "$IMG" sh -c 'tr "\0" " " </proc/1/cmdline; echo; exit 3' >"$T/out" 2>"$T/err"
RC=$?
check_rc entrypoint_exit_status_passes_through 3
check entrypoint_vigil_is_pid1 "pid 1: $(head -c 200 "$T/out")" grep -q '^/vigil -- sh -c' "$T/out"

drun --rm "${RUN[@]}" "$IMG" /t/orphans -n 200 -t 20
check_rc entrypoint_reaps_orphans 0

dk_run stop1 "$IMG" /t/sigwait -r /out/stop1.ready -t 120
if wait_file 20 "$OUT/stop1.ready"; then
	D stop -t 30 stop1 >/dev/null
	finished stop1
	# sigwait exits with the number of the first signal it gets: 15, not
	# docker's SIGKILL after the 30 s.
	check_rc docker_stop_reaches_app_and_exits_gracefully 15
else
	fail docker_stop_reaches_app_and_exits_gracefully "app not ready: $(cat "$T/err")"
fi

dk_run usr1 "$IMG" /t/sigrecv -o /out/usr1.sig -r /out/usr1.ready -x TERM
if wait_file 20 "$OUT/usr1.ready"; then
	D kill -s USR1 usr1 >/dev/null
	if wait_line 10 "$OUT/usr1.sig" '^10 USR1'; then ok docker_kill_usr1_reaches_app
	else fail docker_kill_usr1_reaches_app "sigrecv got: $(cat "$OUT/usr1.sig" 2>/dev/null)"; fi
	D stop -t 30 usr1 >/dev/null
	finished usr1
	check_rc docker_kill_usr1_then_stop_gives_0 0
else
	fail docker_kill_usr1_reaches_app "app not ready: $(cat "$T/err")"
fi

dk_run td --entrypoint /vigil "$IMG" --term-delay 3s -- /t/sigrecv -o /out/td.sig -r /out/td.ready -x TERM
if wait_file 20 "$OUT/td.ready"; then
	D stop -t 30 td >/dev/null &
	stopper=$!
	BG_PIDS+=("$stopper")
	sleep 1
	if grep -q '^15 ' "$OUT/td.sig" 2>/dev/null; then
		fail term_delay_holds_docker_stop_sigterm "the app got TERM within 1 s of docker stop"
	else
		ok term_delay_holds_docker_stop_sigterm
	fi
	if wait_line 15 "$OUT/td.sig" '^15 TERM'; then ok term_delay_then_forwards_sigterm
	else fail term_delay_then_forwards_sigterm "no TERM reached the app"; fi
	wait "$stopper"
	finished td
	check_rc term_delay_app_exits_gracefully 0
else
	fail term_delay_holds_docker_stop_sigterm "app not ready: $(cat "$T/err")"
fi

dk_run grace --entrypoint /vigil "$IMG" --grace 1s --report /out/grace.json -- \
	sh -c 'trap "" TERM; echo >/out/grace.ready; exec sleep 600'
if wait_file 20 "$OUT/grace.ready"; then
	D stop -t 30 grace >/dev/null
	finished grace
	check_rc grace_kills_app_ignoring_docker_stop 137
	check grace_kill_in_report "$(cat "$OUT/grace.json" 2>/dev/null)" \
		grep -q '"reason":"grace_kill"' "$OUT/grace.json"
else
	fail grace_kills_app_ignoring_docker_stop "app not ready: $(cat "$T/err")"
fi

# Docker's on-failure:2 starts the container three times; vigil runs the
# app once and refuses the runtime's two restarts with 75.
dk_run rs --restart on-failure:2 --entrypoint /vigil "$IMG" --state-file /state/vigil.state -- \
	sh -c 'echo run >>/state/runs; exit 3'
restarted_twice() { [ "$(container_state rs)" = "exited 75 false 2" ]; }
if wait_for 60 restarted_twice; then ok state_file_refuses_docker_restarts_with_75
else fail state_file_refuses_docker_restarts_with_75 "state/exit/oom/restarts: $(container_state rs)"; fi
check state_file_app_ran_once "runs: $(cat "$STATE/runs" 2>/dev/null | wc -l)" \
	test "$(wc -l <"$STATE/runs" 2>/dev/null)" = 1
D logs rs >"$T/out" 2>"$T/err"
check state_file_refusal_says_why "$(tail -n 2 "$T/err")" grep -q '^vigil: .*restart' "$T/err"

dk_run oom -m 32m --memory-swap 32m --entrypoint /vigil "$IMG" --report /out/oom.json -- /t/memhog 512
finished oom
check_rc oom_hog_killed_137 137
check oom_kill_in_report "$(cat "$OUT/oom.json" 2>/dev/null)" grep -q '"reason":"oom_kill"' "$OUT/oom.json"
check docker_says_oomkilled "$(container_state oom)" test "$(D inspect -f '{{.State.OOMKilled}}' oom)" = true

drun --rm --read-only "${RUN[@]}" --entrypoint /vigil "$IMG" --preflight fail -- true
check_rc read_only_without_tmpfs_fails_preflight_78 78
check preflight_failure_says_why "$(cat "$T/err")" grep -q '^vigil: .*preflight' "$T/err"
drun --rm --read-only --tmpfs /tmp:mode=1777 "${RUN[@]}" --entrypoint /vigil "$IMG" \
	--preflight fail -- true
check_rc read_only_with_tmpfs_tmp_passes_preflight 0

if [ "$CAPNG" = 1 ]; then
	HARD=(--read-only --tmpfs /tmp:mode=1777 --cap-drop ALL --security-opt no-new-privileges)
	drun --rm "${HARD[@]}" --cap-add SETUID --cap-add SETGID "${RUN[@]}" \
		--entrypoint /vigil "$IMG" --user app:app --preflight fail --report /out/hard.json -- \
		sh -c 'echo "$(id -u):$(id -g) $(grep CapEff /proc/self/status)"'
	check_rc hardened_user_drop_works 0
	check hardened_app_runs_as_app_without_caps "$(cat "$T/out")" \
		grep -q '^1000:1000 CapEff:[[:space:]]*0000000000000000$' "$T/out"
	check hardened_report_says_bounding_set_kept "$(cat "$OUT/hard.json" 2>/dev/null)" \
		grep -q '"bounding_set_cleared":false' "$OUT/hard.json"
	# Without SETUID/SETGID the drop cannot happen: exit 77, one line.
	drun --rm "${HARD[@]}" "${RUN[@]}" --entrypoint /vigil "$IMG" --user app -- true
	check_rc hardened_without_setuid_fails_clearly_77 77
	check hardened_failure_is_one_vigil_line "$(cat "$T/err")" grep -q '^vigil: ' "$T/err"
fi

# --- examples/compose.yaml ----------------------------------------------
# The services as written, with the test image, the test app and no
# network (tests/containers/docker_compose.yaml); without docker-compose
# the same flags as docker run.
export VIGIL_TEST_IMAGE=$BASE VIGIL_TEST_OUT=$OUT
compose() {
	DOCKER_HOST=unix://$DK/docker.sock timeout -k 5 120 "$COMPOSE" -p vigiltest \
		-f "$SRC/examples/compose.yaml" -f "$SRC/tests/containers/docker_compose.yaml" "$@"
}
APP_CMD='echo "uid=$(id -u) $(grep CapAmb /proc/self/status)"; echo >/out/app.ready; exec /t/sigrecv -x TERM'
compose_app() {
	rm -f "$OUT/app.ready"
	if [ -n "$COMPOSE" ]; then
		compose up -d app >"$T/compose.log" 2>&1
		APP=$(D ps -aq --filter label=com.docker.compose.service=app | head -n 1)
	else
		APP=app
		D volume create vigiltest_state >/dev/null
		D run -d --name app --network none -v "$OUT:/out" --entrypoint /vigil \
			--restart unless-stopped --stop-timeout 10 --read-only --tmpfs /tmp:mode=1777 \
			-v vigiltest_state:/state --security-opt no-new-privileges:true --cap-drop ALL \
			--cap-add SETUID --cap-add SETGID --cap-add NET_BIND_SERVICE --cap-add KILL "$BASE" \
			--user=app:app --cap-keep=NET_BIND_SERVICE --seccomp=default --preflight=fail \
			--grace=3s --term-delay=2s --state-file=/state/vigil.state --report=- -- \
			sh -c "$APP_CMD" >"$T/compose.log" 2>&1
	fi
	if [ -z "$APP" ] || ! wait_file 20 "$OUT/app.ready"; then
		fail compose_entrypoint_service_runs "$(tail -n 3 "$T/compose.log")"
		return
	fi
	ok compose_entrypoint_service_runs
	if [ -n "$COMPOSE" ]; then compose stop app >>"$T/compose.log" 2>&1; else D stop app >/dev/null; fi
	finished "$APP"
	check_rc compose_entrypoint_service_stops_gracefully 0
	check compose_app_dropped_to_app_keeping_net_bind "$(cat "$T/out")" \
		grep -q '^uid=1000 CapAmb:[[:space:]]*0000000000000400$' "$T/out"
	check compose_report_on_stderr "$(tail -n 1 "$T/err")" \
		grep -q '"reason":"exited".*"received_signal":"SIGTERM"' "$T/err"
}
[ "$CAPNG" = 1 ] && [ "$SECCOMP" = 1 ] && compose_app

# --- the daemon's init --------------------------------------------------
# compose_init: the `init: true` service on a daemon whose init is vigil.
compose_init() {
	local n=$1 c
	rm -f "$OUT/pid1"
	if [ -n "$COMPOSE" ]; then
		compose up -d app-init >"$T/compose.log" 2>&1
		c=$(D ps -aq --filter label=com.docker.compose.service=app-init | head -n 1)
	else
		c=app-init
		D run -d --name app-init --init --network none -v "$OUT:/out" "$BASE" \
			sh -c 'tr "\0" " " </proc/1/cmdline >/out/pid1; exec sleep 600' >"$T/compose.log" 2>&1
	fi
	if [ -z "$c" ] || ! wait_file 20 "$OUT/pid1"; then
		fail "compose_init_true_runs_vigil_as_pid1_$n" "$(tail -n 3 "$T/compose.log")"
		return
	fi
	check "compose_init_true_runs_vigil_as_pid1_$n" "$(cat "$OUT/pid1")" grep -q '^/sbin/docker-init -- ' "$OUT/pid1"
	if [ -n "$COMPOSE" ]; then compose stop app-init >>"$T/compose.log" 2>&1
	else D stop app-init >/dev/null; fi
	finished "$c"
	check_rc "compose_init_true_stop_gives_143_$n" 143
	if [ -n "$COMPOSE" ]; then compose rm -f app-init >>"$T/compose.log" 2>&1
	else D rm -f app-init >/dev/null; fi
}

init_cases() {
	local n=$1
	D info >"$T/info" 2>&1
	check "docker_info_shows_init_version_$n" "$(grep -i 'init' "$T/info" | tr '\n' '|')" \
		grep -q 'init version: vigil-0_1_0$' "$T/info"
	check "dockerd_logs_no_init_parse_error_$n" "$(grep -i 'init' "$DK/dockerd.log" | grep -i fail | head -n 2)" \
		eval '! grep -Eqi "failed to (parse|retrieve).*init" "$DK/dockerd.log"'

	D run --rm --init "${RUN[@]}" "$BASE" \
		sh -c 'tr "\0" " " </proc/1/cmdline; echo; /sbin/docker-init --version' >"$T/out" 2>"$T/err"
	RC=$?
	check_rc "docker_run_init_runs_$n" 0
	check "docker_run_init_makes_vigil_pid1_$n" "$(head -c 300 "$T/out" | tr '\n' '|')" \
		grep -q '^/sbin/docker-init -- sh -c' "$T/out"
	check "init_in_container_is_vigil_$n" "$(tail -n 1 "$T/out")" \
		grep -qx 'tini version 0.19.0 - git.vigil-0_1_0' "$T/out"

	drun --rm --init "${RUN[@]}" "$BASE" /t/orphans -n 200 -t 20
	check_rc "docker_run_init_reaps_orphans_$n" 0

	dk_run "i143$n" --init "$BASE" sh -c "echo >/out/i143$n.ready; exec sleep 600"
	if wait_file 20 "$OUT/i143$n.ready"; then
		D stop -t 30 "i143$n" >/dev/null
		finished "i143$n"
		check_rc "docker_run_init_stop_gives_143_$n" 143
	else
		fail "docker_run_init_stop_gives_143_$n" "not started: $(cat "$T/err")"
	fi
}

init_cases vigil
compose_init vigil
dockerd_stop
if dockerd_start "$T/dk" --init-path "$BIN/docker-init"; then
	init_cases docker-init
	compose_init docker-init
else
	fail dockerd_restarts_with_docker_init "$(cat "$T/dockerd.why")"
fi
[ -n "$COMPOSE" ] && compose down -v >/dev/null 2>&1

summary
