# docker_lib: pieces shared by the Docker and podman tests (sourced after
# tests/behaviour/lib.sh): a scratch-like image root holding busybox-static,
# the static vigil and the static test helpers, and a private dockerd that
# touches neither the system's daemon, its sockets nor the host's network.

# skip REASON: the engine cannot run here. Exit 77: meson counts the script
# as skipped, not passed; with VIGIL_REQUIRE_ENGINES=1 (tests/run.sh, CI)
# that is a failure.
skip() {
	if [ "${VIGIL_REQUIRE_ENGINES:-0}" = 1 ]; then
		fail engine_runs_here "$1 (VIGIL_REQUIRE_ENGINES=1)"
		exit 1
	fi
	echo "# skip: $1"
	exit 77
}

# docker_install PKG...: install what is missing (apt, only when missing).
# Prints the reason and returns 1 when that is not possible.
# Installing docker.io or podman must not start the system's daemons: where
# no policy-rc.d says so already, one denying every start is put in place
# for the install only.
docker_install() {
	local deps policy=/usr/sbin/policy-rc.d made= rc=0
	deps="$(dirname "${BASH_SOURCE[0]}")/../../scripts/deps.sh"
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\n# made by vigil tests for one install\nexit 101\n' >"$policy" &&
			chmod 755 "$policy" && made=1
	fi
	timeout -k 5 300 "$deps" "$@" >"$T/install.log" 2>&1 || rc=$?
	[ -z "$made" ] || rm -f "$policy"
	if [ "$rc" != 0 ]; then
		echo "cannot install $*: $(tail -n 1 "$T/install.log")"
		return 1
	fi
}

# image_vigil: the static vigil to put into images: the stripped release
# binary beside the suite's build when there is one (what ships), else the
# binary under test.
image_vigil() {
	local out
	out="$(dirname "$VIGIL_REAL")/../out/vigil-static"
	if [ -x "$out" ]; then
		readlink -f "$out"
	else
		echo "$VIGIL_REAL"
	fi
}

is_static() { ! readelf -l "$1" 2>/dev/null | grep -q INTERP; }

# docker_rootfs DIR VIGIL: an image root with nothing from the host's libc:
# /bin/busybox (static) and its applets, VIGIL as /vigil, the static test
# helpers in /t, /etc/passwd and /etc/group with an unprivileged user
# app (1000), a world-writable /tmp, and mount points /out and /state.
docker_rootfs() {
	local r=$1 vigil=$2 a h
	mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/t" "$r/out" "$r/state" "$r/proc" "$r/sys" "$r/dev"
	chmod 1777 "$r/tmp"
	cp /bin/busybox "$r/bin/busybox"
	for a in $("$r/bin/busybox" --list); do
		[ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"
	done
	cp "$vigil" "$r/vigil"
	for h in sigwait sigrecv orphans memhog; do
		if [ -x "$HELPERS/$h" ] && is_static "$HELPERS/$h"; then
			cp "$HELPERS/$h" "$r/t/$h"
		fi
	done
	printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' >"$r/etc/passwd"
	printf 'root:x:0:\napp:x:1000:\n' >"$r/etc/group"
}

# The private daemon: everything under $DK, a socket of its own, no
# bridge, no iptables, no NAT; containers run with --network none.
DK=
DOCKER=/usr/bin/docker    # another client may come first in PATH
D() { timeout -k 5 "${D_TIMEOUT:-60}" "$DOCKER" -H "unix://$DK/docker.sock" "$@"; }

# dockerd_start DIR [DOCKERD OPTIONS...]: start (again) a private dockerd
# whose state is in DIR; 0 once it answers, 1 (and its log's tail in
# $T/dockerd.why) when it does not within 30 s.
dockerd_start() {
	DK=$1
	shift
	mkdir -p "$DK"
	echo '{}' >"$DK/daemon.json"
	dockerd --config-file "$DK/daemon.json" --data-root "$DK/data" --exec-root "$DK/exec" \
		-H "unix://$DK/docker.sock" --pidfile "$DK/dockerd.pid" \
		--iptables=false --ip6tables=false --bridge=none --ip-masq=false \
		"$@" >>"$DK/dockerd.log" 2>&1 </dev/null &
	DOCKERD_PID=$!
	if ! wait_for 30 D version >/dev/null 2>&1; then
		grep -E 'level=(fatal|error)|failed to start' "$DK/dockerd.log" | tail -n 2 >"$T/dockerd.why"
		alive "$DOCKERD_PID" || echo "dockerd exited" >>"$T/dockerd.why"
		dockerd_stop
		return 1
	fi
}

# dockerd_stop: remove every container, then stop the daemon by its pid
# (TERM, 20 s, KILL), then any runtime shim of ours it left behind.
dockerd_stop() {
	local ids p
	[ -n "${DOCKERD_PID:-}" ] || return 0
	if alive "$DOCKERD_PID"; then
		ids=$(D_TIMEOUT=10 D ps -aq 2>/dev/null)
		# shellcheck disable=SC2086
		[ -z "$ids" ] || D_TIMEOUT=30 D rm -f $ids >/dev/null 2>&1
		kill -TERM "$DOCKERD_PID" 2>/dev/null
		wait_for 20 gone "$DOCKERD_PID" || kill -KILL "$DOCKERD_PID" 2>/dev/null
	fi
	wait "$DOCKERD_PID" 2>/dev/null
	DOCKERD_PID=
	for p in $(ours_left "$DK"); do
		kill -KILL "$p" 2>/dev/null
	done
}

# ours_left DIR: pids of processes whose command line names DIR (shims
# and containerd of our daemon), never anything else.
ours_left() {
	local d p
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		[ "$p" = $$ ] && continue
		tr '\0' ' ' 2>/dev/null <"$d/cmdline" | grep -qF -- "$1/" && echo "$p"
	done
}

# unmount_under DIR: unmount what is still mounted below DIR (deepest
# first), so removing the temp dir never reaches into a live mount.
unmount_under() {
	local m
	awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r m; do
			umount -l "$m" 2>/dev/null
		done
}

# container_state NAME: "running exitcode oomkilled restartcount".
container_state() {
	D inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}} {{.RestartCount}}' "$1" 2>/dev/null
}

# not_running NAME: the container exists and has stopped.
not_running() {
	local s
	s=$(container_state "$1") || return 1
	[ "${s%% *}" = exited ]
}

# exit_of NAME: the container's exit code.
exit_of() { D inspect -f '{{.State.ExitCode}}' "$1" 2>/dev/null; }
