# self_signals: a signal vigil raised on itself is never forwarded. Writing
# a log line to a stderr pipe nobody reads queues SIGPIPE on vigil; the
# child must not get it, and the failed write must not change its fate.
. "$(dirname "$0")/lib.sh"

SIGRECV=$HELPERS/sigrecv
[ -x "$SIGRECV" ] || { fail sigrecv_helper_present "$SIGRECV missing"; summary; }

# start_deaf NAME GO-FIRST VIGIL-ARGS...: start vigil (not PID 1) with stderr
# a FIFO. The test holds the FIFO's only reader in RD and closes it: before
# vigil starts when GO-FIRST is yes (so its start-up warning fails), else
# once the child is ready. Sets VPID; the child is sigrecv, ready in $T/ready.
start_deaf() {
	local name=$1 first=$2 rd
	shift 2
	rm -f "$T/fifo" "$T/go" "$T/got" "$T/ready"
	mkfifo "$T/fifo"
	exec {rd}<>"$T/fifo"
	sh -c 'while [ ! -e "$1" ]; do sleep 0.05; done; shift; exec "$@"' \
		sh "$T/go" "$VIGIL" "$@" -- "$SIGRECV" -o "$T/got" -r "$T/ready" -x USR2 -E 7 \
		2>"$T/fifo" >/dev/null </dev/null {rd}<&- &
	UPID=$!
	VPID=$UPID
	BG_PIDS+=("$UPID")
	if [ "$first" = yes ]; then
		exec {rd}<&-
		touch "$T/go"
	else
		touch "$T/go"
	fi
	if ! wait_file 5 "$T/ready"; then
		exec {rd}<&- 2>/dev/null
		fail "$name" "the child never got ready (killed by a forwarded SIGPIPE before it blocked signals?)"
		return 1
	fi
	[ "$first" = yes ] || exec {rd}<&-
	BG_PIDS+=("$(cat "$T/ready")")
	return 0
}

# finish NAME: USR2 ends the child with 7; it must have had no SIGPIPE.
finish() {
	settle "$VPID"
	kill -USR2 "$VPID"
	wait_exit 10
	check_rc "${1}_child_exit_status_is_unchanged" 7
	if grep -q '^13 ' "$T/got" 2>/dev/null; then
		fail "${1}_child_gets_no_sigpipe" "child got $(grep -c '^13 ' "$T/got") SIGPIPE(s)"
	else
		ok "${1}_child_gets_no_sigpipe"
	fi
}

# The start-up warning (not PID 1, no -s) hits a pipe without reader.
if start_deaf startup_warning yes; then
	finish startup_warning_to_a_closed_pipe
fi

# The trace of a forwarded signal hits it while running.
if start_deaf trace_line no --trace; then
	kill -USR1 "$VPID"
	wait_for 3 got "$T/got" 10 || fail trace_line_usr1_forwarded "child did not get USR1"
	kill -USR1 "$VPID"
	wait_for 3 lines_at_least "$T/got" 2
	finish trace_line_to_a_closed_pipe
fi

# A SIGPIPE someone else sends is still forwarded.
if start_deaf user_sigpipe no -q; then
	kill -PIPE "$VPID"
	check user_sent_sigpipe_is_still_forwarded "child got: $(head -c 200 "$T/got" | tr '\n' ' ')" \
		wait_for 3 got "$T/got" 13
	kill -USR2 "$VPID"
	wait_exit 10
fi

summary
