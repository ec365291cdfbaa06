# tty: on a terminal, vigil (with or without -g) makes the child's group
# the foreground group (so the child can use the terminal without being stopped by
# SIGTTOU/SIGTTIN); in dumb-init mode the child leads its own session and
# owns the terminal, and vigil -- a session leader giving the terminal up
# -- does not pass the kernel's SIGHUP on to it. Uses script(1) for a pty.
. "$(dirname "$0")/lib.sh"

command -v script >/dev/null || skip_all "script(1) (util-linux) is missing: no pty to test with"
export SHELL=/bin/sh
# As docker run -it does, make vigil (PID 1) a session leader whose
# controlling terminal is the pty: setsid -c (as root) takes it over from
# unshare's session. Without that, unshare's group, outside the namespace,
# would own the terminal and vigil could not see it.
PIDNS="unshare --pid --fork --mount-proc --kill-child setsid -c"

# The child's checks, written to $T/res ("ok" or what went wrong).
# Fields of /proc/self/stat after the comm: $3 pgrp $4 session $5 tty_nr $6 tpgid.
cat >"$T/fg.sh" <<'CHILD'
res=$1
read -r l </proc/self/stat
set -- ${l##*) }
if [ "$5" = 0 ]; then echo "no controlling terminal" >"$res"; exit 11; fi
if [ "$3" != $$ ]; then echo "not a group leader: pgrp $3, pid $$" >"$res"; exit 12; fi
if [ "$6" != "$3" ]; then echo "not the foreground group: tpgid $6, pgrp $3" >"$res"; exit 13; fi
# tcsetattr from a background group would stop us with SIGTTOU.
stty -echo && stty echo || { echo "stty failed" >"$res"; exit 14; }
echo ok >"$res"
CHILD

# dumb-init -c: the child stays in vigil's group, which keeps the terminal.
cat >"$T/same.sh" <<'CHILD'
res=$1
read -r l </proc/self/stat
set -- ${l##*) }
if [ "$6" != "$3" ]; then echo "not in the foreground group: tpgid $6, pgrp $3" >"$res"; exit 13; fi
if [ "$3" = $$ ]; then echo "became a group leader with -c" >"$res"; exit 12; fi
stty -echo && stty echo || { echo "stty failed" >"$res"; exit 14; }
echo ok >"$res"
CHILD

# The dumb-init child: give a forwarded SIGHUP time to arrive (it would
# kill us: default disposition), then check we own the terminal.
cat >"$T/sess.sh" <<'CHILD'
res=$1
trap 'echo "got SIGHUP" >"$res"; exit 21' HUP
sleep 0.3
read -r l </proc/self/stat
set -- ${l##*) }
if [ "$4" != $$ ]; then echo "not a session leader: sid $4, pid $$" >"$res"; exit 11; fi
if [ "$5" = 0 ]; then echo "no controlling terminal" >"$res"; exit 12; fi
if [ "$6" != $$ ]; then echo "not the foreground group: tpgid $6, pid $$" >"$res"; exit 13; fi
read -r l </proc/$PPID/stat
set -- ${l##*) }
if [ "$5" != 0 ]; then echo "vigil (pid $PPID) kept the terminal: tty_nr $5" >"$res"; exit 14; fi
stty -echo && stty echo || { echo "stty failed" >"$res"; exit 15; }
echo ok >"$res"
CHILD

# tty_case NAME EXPECTED_STATUS "COMMAND RUN BY script": the command runs
# as the session leader of a new pty (script -e passes its status).
tty_case() {
	local name=$1 want=$2 cmd=$3 t0
	rm -f "$T/res"
	t0=$(now_ms)
	timeout -k 2 8 script -qec "$cmd" /dev/null >"$T/out" 2>"$T/err" </dev/null
	RC=$?
	if [ "$RC" = 124 ] || [ "$RC" = 137 ]; then
		fail "$name" "did not finish within 8 s (stopped by SIGTTOU/SIGTTIN?)"
	elif [ "$RC" != "$want" ]; then
		fail "$name" "status $RC, want $want; child says: $(cat "$T/res" 2>/dev/null)"
	elif [ "$want" = 0 ] && [ "$(cat "$T/res" 2>/dev/null)" != ok ]; then
		fail "$name" "child says: $(cat "$T/res" 2>/dev/null)"
	else
		ok "$name"
	fi
	echo "# $name: $(( $(now_ms) - t0 )) ms"
}

tty_case pid1_g_child_gets_the_terminal_foreground 0 \
	"exec $PIDNS $VIGIL -g -- sh $T/fg.sh $T/res"
tty_case g_child_gets_the_terminal_foreground_as_session_leader 0 \
	"exec $VIGIL -q -g -- sh $T/fg.sh $T/res"
tty_case g_child_gets_the_terminal_foreground_not_session_leader 0 \
	"$VIGIL -q -g -- sh $T/fg.sh $T/res; exit \$?"
# Without -g too: -g only decides where signals go.
tty_case pid1_without_g_child_gets_the_terminal_foreground 0 \
	"exec $PIDNS $VIGIL -- sh $T/fg.sh $T/res"
tty_case without_g_child_gets_the_terminal_foreground_not_session_leader 0 \
	"$VIGIL -q -- sh $T/fg.sh $T/res; exit \$?"
ln -s "$VIGIL_REAL" "$T/tini"
tty_case tini_g_child_gets_the_terminal_foreground 0 \
	"exec $PIDNS $T/tini -g -- sh $T/fg.sh $T/res"
tty_case tini_without_g_child_gets_the_terminal_foreground 0 \
	"exec $PIDNS $T/tini -- sh $T/fg.sh $T/res"
# Exit status still passes through the terminal hand-over.
tty_case pid1_g_exit_status_passes_through 7 \
	"exec $PIDNS $VIGIL -g -- sh -c 'stty -echo; stty echo; exit 7'"

ln -s "$VIGIL_REAL" "$T/dumb-init"
tty_case pid1_dumb_init_c_child_shares_the_foreground_group 0 \
	"exec $PIDNS $T/dumb-init -c sh $T/same.sh $T/res"
tty_case dumb_init_child_owns_the_terminal_and_survives_the_hangup 0 \
	"exec $T/dumb-init sh $T/sess.sh $T/res"
# When dumb-init is not the session leader it cannot hand the terminal
# over: the child still gets its own session and runs to the end.
cat >"$T/sess2.sh" <<'CHILD'
res=$1
sleep 0.2
read -r l </proc/self/stat
set -- ${l##*) }
if [ "$4" = $$ ]; then echo ok >"$res"; else echo "not a session leader: sid $4" >"$res"; fi
CHILD
tty_case dumb_init_not_session_leader_child_still_runs 0 \
	"$T/dumb-init sh $T/sess2.sh $T/res; exit \$?"
tty_case pid1_dumb_init_child_owns_the_terminal_and_survives_the_hangup 0 \
	"exec $PIDNS $T/dumb-init sh $T/sess.sh $T/res"

summary
