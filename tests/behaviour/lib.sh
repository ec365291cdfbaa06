# lib.sh: shared pieces of the behaviour tests (sourced by every NAME.sh).
# TAP-like reporting, running vigil as PID 1 of a fresh PID namespace,
# finding its host pid, and bounded waits: nothing here waits forever.
#
# Environment: VIGIL (the binary), HELPERS (dir of compiled helpers),
# SUPERVISOR (0/1). Every script gets a private temp dir in $T and a trap
# that kills what it started and removes $T.

set -u

: "${VIGIL:?set VIGIL to the vigil binary}"
: "${HELPERS:?set HELPERS to the directory of the compiled test helpers}"
: "${SUPERVISOR:=0}"

VIGIL_REAL=$(readlink -f "$VIGIL")
# What /proc/PID/exe shows for a running vigil (another binary when a
# wrapper runs it under a tool: tests/hardening/valgrind.sh).
VIGIL_EXE=${VIGIL_EXE:-$VIGIL_REAL}
T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-test.XXXXXX")
PASSED=0
FAILED=0
BG_PIDS=()       # host pids to kill at exit (unshare, or vigil itself)
RC=0             # status of the last run / wait_exit
UPID=            # pid of the last background unshare (or vigil when not PID 1)
VPID=            # host pid of the last background vigil

cleanup() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	# unshare runs with --kill-child, so killing it kills the namespace.
	for p in "${BG_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

ok() {
	PASSED=$((PASSED + 1))
	echo "ok - $1"
}

fail() {
	FAILED=$((FAILED + 1))
	echo "not ok - $1: $2"
}

# check NAME WHY-IF-FAILED CMD...: ok when CMD succeeds.
check() {
	local name=$1 why=$2
	shift 2
	if "$@"; then ok "$name"; else fail "$name" "$why"; fi
}

# check_rc NAME EXPECTED: compare $RC (from run/wait_exit) with EXPECTED.
check_rc() {
	if [ "$RC" = "$2" ]; then
		ok "$1"
	else
		fail "$1" "exit status $RC, want $2 (stderr: $(head -c 300 "$T/err" 2>/dev/null | tr '\n' '|'))"
	fi
}

summary() {
	echo "# totals: $PASSED ok, $FAILED not ok"
	[ "$FAILED" -eq 0 ]
	exit
}

skip_all() {
	echo "# skip: $1"
	exit 0
}

now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# secs_to_ms 1.5 -> 1500
secs_to_ms() {
	local whole=${1%%.*} frac=000
	case $1 in *.*) frac="${1#*.}000" ;; esac
	echo $(( 10#${whole:-0} * 1000 + 10#${frac:0:3} ))
}

# wait_for TIMEOUT_S CMD...: poll CMD every 50 ms until it succeeds; 1 on timeout.
wait_for() {
	local deadline=$(( $(now_ms) + $(secs_to_ms "$1") ))
	shift
	while ! "$@"; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
	return 0
}

# proc_state PID: one-letter state (R, S, T, Z ...) or nothing when gone.
proc_state() {
	local line
	read -r line 2>/dev/null <"/proc/$1/stat" || return 1
	line=${line##*) }
	echo "${line%% *}"
}

# alive PID: the process exists and is not a zombie.
alive() {
	local s
	s=$(proc_state "$1") || return 1
	[ -n "$s" ] && [ "$s" != Z ]
}

gone() { ! alive "$1"; }

# stat_field PID N: field N (1-based, as in proc(5)) of /proc/PID/stat.
stat_field() {
	local line n=$(( $2 - 2 ))
	read -r line 2>/dev/null <"/proc/$1/stat" || return 1
	line=${line##*) }
	set -- $line
	eval "echo \${$n}"
}

# status_field PID NAME: value of "NAME:" in /proc/PID/status.
status_field() {
	local k v
	while IFS=$': \t' read -r k v; do
		if [ "$k" = "$2" ]; then
			echo "$v"
			return 0
		fi
	done 2>/dev/null <"/proc/$1/status"
	return 1
}

# children PID: host pids of PID's children (one line).
children() {
	cat "/proc/$1/task/$1/children" 2>/dev/null
}

# is_vigil PID: PID has exec'd the vigil binary. Under a wrapping tool
# (VIGIL_EXE set) that is long before vigil's main() runs, so wait until
# it holds its signalfd: it then blocks the signals it takes over.
is_vigil() {
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$VIGIL_EXE" ] || return 1
	[ "$VIGIL_EXE" = "$VIGIL_REAL" ] || ls -l "/proc/$1/fd" 2>/dev/null | grep -q 'signalfd'
}

# vigil_of_unshare UPID: print the host pid of vigil running as PID 1 under
# that unshare. unshare blocks SIGTERM/SIGINT and forwards nothing, so tests
# signal its child, found in /proc/UPID/task/UPID/children.
vigil_of_unshare() {
	local c
	c=$(children "$1")
	c=${c%% *}
	[ -n "$c" ] && is_vigil "$c" && echo "$c"
}

# pid1_cmd: the command line prefix that runs vigil as PID 1 of a new PID
# (and mount, for /proc) namespace; --kill-child takes the namespace down
# if unshare dies. VBIN overrides the binary (tini/dumb-init symlinks).
pid1_cmd() {
	PID1=(unshare --pid --fork --mount-proc --kill-child "${VBIN:-$VIGIL}")
}

# run CMD... | run pid1 VIGIL-ARGS...: run bounded by RUN_TIMEOUT (default
# 20 s); stdout in $T/out, stderr in $T/err, status in $RC.
run() {
	if [ "$1" = pid1 ]; then
		shift
		pid1_cmd
		set -- "${PID1[@]}" "$@"
	fi
	timeout -k 2 "${RUN_TIMEOUT:-20}" "$@" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
	san_check
}

# san_check: under an ASan/UBSan build, a sanitizer report in $T/err is a
# failure of its own (UBSan only prints and carries on by default).
san_check() {
	if grep -Eq 'runtime error:|AddressSanitizer|LeakSanitizer' "$T/err" 2>/dev/null; then
		fail no_sanitizer_report "$(grep -Em1 'runtime error:|Sanitizer' "$T/err")"
	fi
}

# start_pid1 [VIGIL ARGS...]: start vigil as PID 1 in the background, set
# UPID (unshare) and VPID (vigil's host pid); stdout/stderr in $T/out, $T/err.
# Returns 1 if vigil did not show up within 5 s (VIGIL_START_S).
start_pid1() {
	pid1_cmd
	"${PID1[@]}" "$@" >"$T/out" 2>"$T/err" </dev/null &
	UPID=$!
	BG_PIDS+=("$UPID")
	VPID=
	local deadline=$(( $(now_ms) + ${VIGIL_START_S:-5} * 1000 ))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		VPID=$(vigil_of_unshare "$UPID") && return 0
		sleep 0.01
	done
	VPID=
	return 1
}

# start_plain [VIGIL ARGS...]: start vigil (not PID 1) in the background;
# UPID = VPID = its pid.
start_plain() {
	"${VBIN:-$VIGIL}" "$@" >"$T/out" 2>"$T/err" </dev/null &
	UPID=$!
	VPID=$UPID
	BG_PIDS+=("$UPID")
	wait_for "${VIGIL_START_S:-5}" is_vigil "$VPID"
}

# wait_exit [TIMEOUT_S]: wait (bounded, default 10 s) for the last started
# process (UPID) to exit; status in $RC, 255 + kill on timeout.
wait_exit() {
	if wait_for "${1:-10}" gone "$UPID"; then
		wait "$UPID"
		RC=$?
		san_check
		return 0
	fi
	kill -KILL "$UPID" 2>/dev/null
	wait "$UPID" 2>/dev/null
	RC=timeout
	return 1
}

# wait_file TIMEOUT_S FILE: wait until FILE exists.
wait_file() {
	wait_for "$1" test -e "$2"
}

# wait_line TIMEOUT_S FILE PATTERN: wait until a line of FILE matches PATTERN (ERE).
wait_line() {
	wait_for "$1" grep -Eq -- "$3" "$2" 2>/dev/null
}

# no_pending PID: PID has no signal pending (it has read them all), or is gone.
no_pending() {
	local p s
	alive "$1" || return 0
	p=$(status_field "$1" SigPnd) || return 1
	s=$(status_field "$1" ShdPnd) || return 1
	[ $((16#$p)) -eq 0 ] && [ $((16#$s)) -eq 0 ]
}

# settle PID: give vigil time to read and forward what it was sent.
settle() {
	wait_for 2 no_pending "$1"
	sleep 0.1
}

# reaped PID: PID no longer exists, not even as a zombie.
reaped() { [ ! -e "/proc/$1" ]; }

# parent_is PID PPID: PID's parent is PPID.
parent_is() { [ "$(status_field "$1" PPid)" = "$2" ]; }
not_parent() { ! parent_is "$@"; }

# orphan_case NAME EXPECT [VIGIL OPTIONS...]: start vigil (not PID 1, VBIN
# honoured) whose child leaves an orphan (sleep 30) behind. EXPECT=adopted:
# the orphan's parent must become vigil and, once killed, vigil must reap
# it; EXPECT=not-adopted: its parent must not be vigil. Ends vigil with TERM.
orphan_case() {
	local name=$1 expect=$2 opid= ppid= first=
	shift 2
	rm -f "$T/opid"
	if ! start_plain "$@" -- sh -c "sh -c 'sleep 30 </dev/null >/dev/null 2>&1 & echo \$! \$\$ >\"$T/opid.tmp\"; mv \"$T/opid.tmp\" \"$T/opid\"'; exec sleep 30"; then
		fail "$name" "vigil did not start"
		return
	fi
	if ! wait_file 5 "$T/opid"; then
		fail "$name" "no orphan pid"
		return
	fi
	read -r opid first <"$T/opid"
	BG_PIDS+=("$opid")
	# The orphan's first parent (the inner sh) exits right after writing.
	wait_for 3 not_parent "$opid" "$first"
	ppid=$(status_field "$opid" PPid)
	if [ "$expect" = adopted ]; then
		if [ "$ppid" != "$VPID" ]; then
			fail "$name" "orphan $opid has parent $ppid, want vigil $VPID"
		else
			kill -KILL "$opid"
			if wait_for 3 reaped "$opid"; then
				ok "$name"
			else
				fail "$name" "vigil did not reap its adopted orphan $opid (state $(proc_state "$opid"))"
			fi
		fi
	else
		if [ "$ppid" = "$VPID" ]; then
			fail "$name" "orphan was adopted by vigil without a subreaper request"
		else
			ok "$name"
		fi
		kill -KILL "$opid" 2>/dev/null
	fi
	kill -TERM "$VPID"
	wait_exit 5
	check_rc "${name}_then_term_gives_143" 143
}

# Process-group forwarding. SIGRECV A is vigil's direct child (the shell
# execs it); SIGRECV B is a background job of that shell, so it stays in
# A's process group.
SIGRECV=$HELPERS/sigrecv
GROUP_TREE="\"$SIGRECV\" -o \"$T/b\" -r \"$T/b.ready\" -x TERM & exec \"$SIGRECV\" -o \"$T/a\" -r \"$T/a.ready\" -x TERM -E 5"

# start_tree NAME [VIGIL OPTIONS...]: vigil as PID 1 (VBIN honoured) running GROUP_TREE.
start_tree() {
	local name=$1
	shift
	rm -f "$T"/a* "$T"/b*
	if ! start_pid1 "$@" -- sh -c "$GROUP_TREE"; then
		fail "$name" "vigil did not start"
		return 1
	fi
	if ! wait_file 5 "$T/a.ready" || ! wait_file 5 "$T/b.ready"; then
		fail "$name" "helpers not ready"
		return 1
	fi
}

# got FILE SIGNUM: FILE has a line for SIGNUM.
got() { grep -q "^$2 " "$1" 2>/dev/null; }

# group_case NAME EXPECT_B [VIGIL OPTIONS...]: send USR1 to vigil; A must
# get it, B must (EXPECT_B=yes) or must not (no) get it; then TERM ends it.
group_case() {
	local name=$1 expect=$2
	shift 2
	start_tree "$name" "$@" || return
	kill -USR1 "$VPID"
	if ! wait_for 3 got "$T/a" 10; then
		fail "$name" "the direct child did not get USR1"
	elif [ "$expect" = yes ]; then
		if wait_for 3 got "$T/b" 10; then ok "$name"; else fail "$name" "the grandchild did not get USR1"; fi
	else
		sleep 0.3
		if got "$T/b" 10; then fail "$name" "the grandchild got USR1 too"; else ok "$name"; fi
	fi
	kill -TERM "$VPID"
	wait_exit 5
	check_rc "${name}_then_term_ends_it" 5
}


# For wait_for, which re-runs a command: predicates, not "$(...)" arguments
# (those would be expanded once, before the first try).
has_children() { [ -n "$(children "$1")" ]; }
no_children() { [ -z "$(children "$1")" ]; }
# lines_at_least FILE N
lines_at_least() { [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ]; }

# sleep_ms MS: sleep MS milliseconds (nothing when MS <= 0).
sleep_ms() {
	[ "$1" -gt 0 ] || return 0
	sleep "$(( $1 / 1000 )).$(printf %03d $(( $1 % 1000 )))"
}
