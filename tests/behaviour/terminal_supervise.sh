# terminal_supervise: supervisor mode at an interactive prompt, on a real
# pseudo-terminal (the ptyrun helper). A Ctrl-C the terminal sends to a
# child that handles it is not a request to stop: no grace countdown, no
# SIGKILL. With --user, the terminal handed to the user is given back.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"

PTYRUN=$HELPERS/ptyrun
[ -x "$PTYRUN" ] || { fail ptyrun_helper_present "$PTYRUN missing"; summary; }
PIDNS="unshare --pid --fork --mount-proc --kill-child"

pty() {
	timeout -k 2 60 "$PTYRUN" "$@" >"$T/pty" 2>&1 </dev/null
	RC=$?
	cp "$T/pty" "$T/err"
	san_check
}

# A child that survives Ctrl-C, at an interactive prompt. After --grace
# and a margin it must still be there; a TERM to vigil then ends it (143).
INTERACTIVE='trap "echo caught-int" INT; echo ready; while :; do sleep 0.2; done'
ctrl_c_case() {
	local name=$1
	shift
	pty -e ready -s '\003' -e caught-int -p 2500 -c 'kill -0 "$PTYRUN_JOB"' \
		-c 'kill -TERM "$PTYRUN_JOB"' -x -- "$@" -- sh -c "$INTERACTIVE"
	if [ "$RC" = 0 ] && grep -q '^exit 143$' "$T/pty"; then
		ok "$name"
	else
		fail "$name" "$(tr '\n' '|' <"$T/pty")"
	fi
}
ctrl_c_case supervise_ctrl_c_at_a_child_that_keeps_running_is_not_a_stop_request \
	"$VIGIL" -q --supervise --grace 1s

# With --user the child runs in a session of its own and vigil stays in
# the terminal's foreground group: the kernel's SIGINT reaches vigil, which
# forwards it, still without starting the grace countdown.
if "$VIGIL" -q --user nobody -- true 2>"$T/err"; then
	ctrl_c_case user_ctrl_c_forwarded_from_the_terminal_is_not_a_stop_request \
		"$VIGIL" -q --user nobody --grace 1s

	# The terminal's owner and mode come back at exit, even when the
	# child changed the mode as its owner (as mesg does).
	for how in plain pid1; do
		case $how in
		plain) cmd=("$VIGIL" -q) ;;
		pid1) cmd=($PIDNS "$VIGIL") ;;
		esac
		pty -m -x -m -- "${cmd[@]}" --user nobody -- sh -c 'chmod 0640 /proc/self/fd/0 && stat -L -c "owner=%u" /proc/self/fd/0'
		before=$(grep -m1 '^tty ' "$T/pty" | sed 's/.*owner=//')
		after=$(grep '^tty ' "$T/pty" | tail -n1 | sed 's/.*owner=//')
		if [ "$RC" != 0 ] || ! grep -q '^exit 0$' "$T/pty" || ! grep -q "owner=$(id -u nobody)" "$T/pty"; then
			fail "user_${how}_terminal_owner_and_mode_given_back_at_exit" "$(tr '\n' '|' <"$T/pty")"
		elif [ "$before" != "$after" ]; then
			fail "user_${how}_terminal_owner_and_mode_given_back_at_exit" "before $before, after $after"
		else
			ok "user_${how}_terminal_owner_and_mode_given_back_at_exit"
		fi
	done
else
	echo "# skip --user cases: $(head -c 200 "$T/err")"
fi

summary
