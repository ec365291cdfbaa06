# terminal: vigil on a real pseudo-terminal, driven by the ptyrun helper as
# a job-control shell would. Each key the terminal turns into a signal
# reaches the child once; the child can read the terminal as PID 1 under
# unshare; Ctrl-Z stops child and vigil, fg continues both; a vigil started
# in the background does not take the terminal; terminal settings a killed
# child left changed are put back.
. "$(dirname "$0")/lib.sh"

PTYRUN=$HELPERS/ptyrun
SIGRECV=$HELPERS/sigrecv
[ -x "$PTYRUN" ] || { fail ptyrun_helper_present "$PTYRUN missing"; summary; }
PIDNS="unshare --pid --fork --mount-proc --kill-child"
ln -s "$VIGIL_REAL" "$T/tini"
ln -s "$VIGIL_REAL" "$T/dumb-init"

# pty ARGS...: run ptyrun (bounded); its trace in $T/pty, status in $RC.
pty() {
	timeout -k 2 60 "$PTYRUN" "$@" >"$T/pty" 2>&1 </dev/null
	RC=$?
	cp "$T/pty" "$T/err"
	san_check
}
# waitf FILE: a command for ptyrun -c that waits (bounded) for FILE.
waitf() { echo "for i in \$(seq 200); do test -s '$1' && exit 0; sleep 0.05; done; exit 1"; }
# pty_check NAME WHY-PREFIX PATTERN...: ptyrun passed and printed every PATTERN (ERE, one line each).
pty_check() {
	local name=$1 p
	shift
	if [ "$RC" != 0 ]; then
		fail "$name" "ptyrun status $RC: $(tr '\n' '|' <"$T/pty")"
		return
	fi
	for p in "$@"; do
		if ! grep -Eq -- "$p" "$T/pty"; then
			fail "$name" "no line /$p/ in: $(tr '\n' '|' <"$T/pty")"
			return
		fi
	done
	ok "$name"
}
count() { grep -c "^$2 " "$1" 2>/dev/null; }

# Ctrl-C then Ctrl-\ at a child that records its signals and leaves on
# QUIT: each arrives once, straight from the terminal, and vigil (out of
# the foreground group) forwards neither.
once_case() {
	local name=$1
	shift
	rm -f "$T/f" "$T/r"
	pty -c "$(waitf "$T/r")" -s '\003' -p 300 -s '\034' -x -- \
		"$@" -- "$SIGRECV" -o "$T/f" -r "$T/r" -x QUIT
	if [ "$RC" != 0 ] || ! grep -q '^exit 0$' "$T/pty"; then
		fail "$name" "ptyrun status $RC: $(tr '\n' '|' <"$T/pty")"
	elif [ "$(count "$T/f" 2)" != 1 ] || [ "$(count "$T/f" 3)" != 1 ]; then
		fail "$name" "the child got: $(tr '\n' '|' <"$T/f")"
	elif grep -Eq 'signal_forwarded signal=(SIG)?(INT|QUIT)' "$T/pty"; then
		fail "$name" "vigil forwarded the terminal's signal too: $(tr '\n' '|' <"$T/pty")"
	else
		ok "$name"
	fi
}
# (the trace shows what vigil forwarded: --trace, or tini's -vv)
once_case terminal_signals_reach_the_child_once "$VIGIL" -q --trace
once_case tini_terminal_signals_reach_the_child_once "$T/tini" -vv
once_case pid1_terminal_signals_reach_the_child_once $PIDNS "$VIGIL" --trace

# As PID 1 under unshare the foreground group (unshare's) is outside the
# namespace: the child still gets the terminal, so cat reads it and
# Ctrl-D ends it.
for g in -g ""; do
	name=pid1${g:+_g}_child_reads_the_terminal
	pty -n -s 'hello\n' -e hello -s '\004' -x -- $PIDNS "$VIGIL" $g -- cat
	pty_check "$name" '^exit 0$'
done
pty -n -s 'hello\n' -e hello -s '\004' -x -- $PIDNS "$T/tini" -g -- cat
pty_check pid1_tini_g_child_reads_the_terminal '^exit 0$'

# Ctrl-Z stops the child and vigil (the shell sees its job stopped); fg
# continues both, the child gets the terminal back and finishes.
state_is() { echo "s=\$(cut -d' ' -f3 /proc/\$(cat '$T/cpid')/stat); test \"\$s\" $1 T"; }
running() { echo "for i in \$(seq 100); do $(state_is !=) && exit 0; sleep 0.05; done; exit 1"; }
ctrlz_case() {
	local name=$1
	shift
	rm -f "$T/cpid"
	pty -n -c "$(waitf "$T/cpid")" -s '\032' -z -c "$(state_is =)" -f -c "$(running)" \
		-s 'hi\n' -e 'got:hi' -x -- "$@" -- sh -c 'echo $$ >"$0"; read l; echo "got:$l"' "$T/cpid"
	pty_check "$name" '^stopped ' '^exit 0$'
}
ctrlz_case ctrl_z_stops_child_and_vigil_fg_continues_both "$VIGIL" -q
ctrlz_case g_ctrl_z_stops_child_and_vigil_fg_continues_both "$VIGIL" -q -g
ctrlz_case tini_ctrl_z_stops_child_and_vigil_fg_continues_both "$T/tini"
ctrlz_case dumb_init_ctrl_z_stops_child_and_vigil_fg_continues_both "$T/dumb-init"
ctrlz_case dumb_init_c_ctrl_z_stops_child_and_vigil_fg_continues_both "$T/dumb-init" -c

# Started in the background by a job-control shell, vigil leaves the
# terminal to the shell; its child reading the terminal stops the job (as
# `cat &` would), and fg hands the terminal to the child.
cat >"$T/bg.sh" <<'SH'
set -m
vigil=$1 cpid=$2
# Waits with builtins only: each external foreground command would make
# bash take the terminal back, hiding a theft.
mkfifo "$cpid.fifo" && exec 3<>"$cpid.fifo"
pause() { read -r -t "$1" -u 3; }
"$vigil" -q -- sh -c 'echo $$ >"$0"; exec cat' "$cpid" &
for ((i = 0; i < 200; i++)); do [ -s "$cpid" ] && break; pause 0.05; done
pause 0.3
read -r l </proc/$$/stat
set -- ${l##*) }
if [ "$6" = "$3" ]; then echo fg-kept; else echo "fg-taken: tpgid $6, shell pgrp $3"; fi
for ((i = 0; i < 200; i++)); do
	read -r l </proc/$!/stat
	set -- ${l##*) }
	[ "$1" = T ] && break
	pause 0.05
done
echo "vigil-state=$1"
fg %1 >/dev/null
echo "fg-status=$?"
SH
rm -f "$T/cpid"
pty -n -e fg-kept -e vigil-state=T -s 'bgline\n' -e bgline -s '\004' -e fg-status=0 -x -- \
	bash "$T/bg.sh" "$VIGIL" "$T/cpid"
pty_check background_vigil_leaves_the_terminal_and_stops_on_ttin_fg_resumes '^exit 0$'

# The terminal comes back to vigil's group at exit, as a shell takes it
# back when a job ends: the script that ran vigil can still read it.
for g in "" -g; do
	pty -n -s 'after\n' -e 'read:after' -x -- sh -c '"$0" -q $1 -- true; read -r x; echo "read:$x"' "$VIGIL" "$g"
	pty_check "script_reads_the_terminal_after_vigil${g:+_g}" '^exit 0$'
done

# A child killed with the terminal's echo off: vigil puts the settings
# it found back at exit.
for how in plain pid1 pid1_g; do
	case $how in
	plain) cmd=("$VIGIL" -q) ;;
	pid1) cmd=($PIDNS "$VIGIL") ;;
	pid1_g) cmd=($PIDNS "$VIGIL" -g) ;;
	esac
	pty -m -x -m -- "${cmd[@]}" -- sh -c 'stty -echo; kill -KILL $$'
	if [ "$RC" = 0 ] && grep -q '^exit 137$' "$T/pty" && [ "$(grep -c '^tty echo=on' "$T/pty")" = 2 ]; then
		ok "${how}_terminal_settings_restored_after_child_killed_with_echo_off"
	else
		fail "${how}_terminal_settings_restored_after_child_killed_with_echo_off" "$(tr '\n' '|' <"$T/pty")"
	fi
done

summary
