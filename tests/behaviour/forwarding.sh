# forwarding: every forwardable signal sent to vigil (PID 1, from the host)
# reaches the child as exactly that signal, in order, real-time ones
# included; SIGCHLD is never forwarded.
. "$(dirname "$0")/lib.sh"

SIGRECV=$HELPERS/sigrecv
[ -x "$SIGRECV" ] || { fail sigrecv_helper_present "$SIGRECV missing"; summary; }

SIGNALS="HUP INT QUIT USR1 USR2 PIPE ALRM TERM CONT WINCH TTIN TTOU TSTP URG XCPU XFSZ VTALRM PROF IO PWR SYS RTMIN RTMIN+3 RTMAX"

# signum NAME: the number bash's kill uses for NAME.
signum() { kill -l "$1"; }

if ! start_pid1 "$SIGRECV" -o "$T/got" -r "$T/ready" -x RTMAX-1 -E 0; then
	fail vigil_started "no vigil under unshare"
	summary
fi
wait_file 5 "$T/ready" || fail child_ready "sigrecv never got ready"

n=0
for s in $SIGNALS; do
	n=$((n + 1))
	num=$(signum "$s")
	kill -s "$s" "$VPID"
	if wait_for 3 lines_at_least "$T/got" "$n"; then
		line=$(sed -n "${n}p" "$T/got")
		check "sig${s,,}_is_forwarded_as_itself" "child got '$line', want $num" \
			test "${line%% *}" = "$num"
	else
		fail "sig${s,,}_is_forwarded_as_itself" "child got nothing within 3 s"
		n=$(wc -l <"$T/got")
	fi
done

# SIGCHLD: nothing reaches the child; a later marker still does.
kill -s CHLD "$VPID"
settle "$VPID"
kill -s USR1 "$VPID"
wait_for 3 lines_at_least "$T/got" $((n + 1))
line=$(sed -n "$((n + 1))p" "$T/got")
check sigchld_is_not_forwarded "after CHLD+USR1 the child's next signal is '$line', want 10" \
	test "${line%% *}" = 10
n=$((n + 1))

# Ten signals of one kind in a row all arrive as that kind (RT signals queue).
for i in $(seq 10); do kill -s RTMIN+5 "$VPID"; settle "$VPID"; done
wait_for 3 lines_at_least "$T/got" $((n + 10))
want=$(signum RTMIN+5)
cnt=$(tail -n +$((n + 1)) "$T/got" | grep -c "^$want ")
check repeated_rt_signal_arrives_each_time "got $cnt of 10" test "$cnt" -eq 10

check vigil_still_alive_after_forwarding "vigil $VPID is gone" alive "$VPID"
kill -s RTMAX-1 "$VPID"
wait_exit 5
check_rc child_exit_ends_vigil_with_its_status 0
check no_extra_signal_reached_the_child "$(tr '\n' ' ' <"$T/got")" \
	test "$(wc -l <"$T/got")" -eq $((n + 11))

# The fault signals, sent by kill to vigil when it is not PID 1 (where an
# unhandled one would be fatal): forwarded, vigil stays, no orphan. A real
# fault in vigil still kills it: the kernel forces those through the mask.
rm -f "$T/got" "$T/ready"
if start_plain -q -- "$SIGRECV" -o "$T/got" -r "$T/ready" -x USR2 -E 4 && wait_file 5 "$T/ready"; then
	BG_PIDS+=("$(cat "$T/ready")")   # an orphan if vigil died
	n=0
	for s in SEGV BUS FPE ILL TRAP ABRT; do
		n=$((n + 1))
		kill -s "$s" "$VPID"
		if wait_for 3 lines_at_least "$T/got" "$n"; then
			line=$(sed -n "${n}p" "$T/got")
			check "user_sent_sig${s,,}_is_forwarded_not_fatal" "child got '$line', want $(signum "$s")" \
				test "${line%% *}" = "$(signum "$s")"
		else
			fail "user_sent_sig${s,,}_is_forwarded_not_fatal" "child got nothing (vigil alive: $(alive "$VPID" && echo yes || echo no))"
			n=$(wc -l <"$T/got")
		fi
	done
	check vigil_survives_user_sent_faults "vigil $VPID is gone" alive "$VPID"
	kill -s USR2 "$VPID"
	wait_exit 5
	check_rc fault_signals_leave_the_child_in_charge_of_the_exit 4
else
	fail user_sent_faults_setup "vigil or sigrecv did not start"
fi

summary
