# success_on_stop: with --success-on-stop, a child that ends of the
# SIGTERM or SIGINT the runtime sent vigil (or exits 128+N for it) makes
# vigil exit 0 with reason "stopped"; a signal nobody sent from outside,
# or a child that does not obey, keeps its status.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"

reason() { grep -q "\"reason\":\"$1\"" "$T/r.json"; }

# stop_case NAME SIGNAL EXPECT_RC EXPECT_REASON [VIGIL ARGS...] -- CMD...
stop_case() {
	local name=$1 sig=$2 want=$3 why=$4
	shift 4
	rm -f "$T/r.json" "$T/up"
	if ! start_pid1 --report "$T/r.json" "$@"; then
		fail "$name" "vigil did not start"
		return
	fi
	wait_file 5 "$T/up"
	kill -"$sig" "$VPID"
	wait_exit 10
	check_rc "$name" "$want"
	check "${name}_reason_$why" "$(cat "$T/r.json" 2>/dev/null)" reason "$why"
}

UP="touch \"$T/up\""
stop_case term_from_outside_killing_the_child_exits_0 TERM 0 stopped \
	--success-on-stop -- sh -c "$UP; exec sleep 100"
stop_case int_from_outside_killing_the_child_exits_0 INT 0 stopped \
	--success-on-stop -- sh -c "$UP; exec sleep 100"
stop_case child_exiting_143_for_term_exits_0 TERM 0 stopped \
	--success-on-stop -- sh -c "trap 'exit 143' TERM; $UP; sleep 100 & wait"
stop_case term_without_the_flag_still_exits_143 TERM 143 signaled \
	-- sh -c "$UP; exec sleep 100"
stop_case child_failing_after_term_keeps_its_code TERM 3 exited \
	--success-on-stop -- sh -c "trap 'exit 3' TERM; $UP; sleep 100 & wait"
stop_case child_ignoring_term_is_still_a_grace_kill TERM 137 grace_kill \
	--success-on-stop --grace 300ms -- sh -c "trap '' TERM; $UP; while :; do sleep 1; done"
# --rewrite TERM:QUIT: the child dies of the QUIT it got for the stop.
stop_case rewritten_stop_signal_counts TERM 0 stopped \
	--success-on-stop -r TERM:QUIT -- sh -c "$UP; exec sleep 100"
# HUP is no stop request, even when it ends the child.
stop_case hup_is_no_stop_request HUP 129 signaled \
	--success-on-stop -- sh -c "$UP; exec sleep 100"

# A SIGTERM nobody sent from outside: the child's own is a crash.
rm -f "$T/r.json"
run pid1 --report "$T/r.json" --success-on-stop -- sh -c 'kill -TERM $$'
check_rc term_sent_from_inside_still_exits_143 143
check term_sent_from_inside_reason_signaled "$(cat "$T/r.json")" reason signaled

# A Ctrl-C typed at the terminal is the user's, not the runtime's stop:
# the child dying of it still gives 130.
timeout -k 2 30 "$HELPERS/ptyrun" -e ready -s '\003' -x -- "$VIGIL" -q --success-on-stop -- \
	sh -c 'echo ready; exec sleep 100' >"$T/pty" 2>&1 </dev/null
check ctrl_c_at_the_terminal_is_no_stop_request "$(tr '\n' '|' <"$T/pty")" grep -q '^exit 130$' "$T/pty"

# A stop during --wait-for: 0 with the flag.
rm -f "$T/r.json"
start_pid1 --report "$T/r.json" --success-on-stop --wait-for "file:$T/never" -- true
sleep 0.3
kill -TERM "$VPID"
wait_exit 5
check_rc stop_during_wait_exits_0 0
check stop_during_wait_reason_stopped "$(cat "$T/r.json" 2>/dev/null)" reason stopped
summary
