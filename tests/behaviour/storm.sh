# storm: 10,000 SIGTERMs mixed with other signals do not kill, wedge or
# confuse vigil while the child ignores them; afterwards one more signal
# still ends the child and vigil exits with the child's status.
. "$(dirname "$0")/lib.sh"

SIGRECV=$HELPERS/sigrecv
[ -x "$SIGRECV" ] || { fail sigrecv_helper_present "$SIGRECV missing"; summary; }

RT1=$(kill -l RTMIN+1)

# storm PID: 10,000 TERMs, every 10th followed by one of HUP/USR1/WINCH/RTMIN+1/INT.
storm() {
	local i mix=(HUP USR1 WINCH RTMIN+1 INT)
	for ((i = 0; i < 10000; i++)); do
		kill -TERM "$1" 2>/dev/null || return 1
		((i % 10 == 0)) && kill -s "${mix[i / 10 % 5]}" "$1" 2>/dev/null
	done
	return 0
}

# 1. A child that blocks everything and logs what it gets (sigrecv).
if start_pid1 "$SIGRECV" -o "$T/got" -r "$T/ready" -x USR2 -E 42 && wait_file 5 "$T/ready"; then
	t0=$(now_ms)
	storm "$VPID"
	check storm_of_10000_terms_was_sent "vigil vanished during the storm" test $? -eq 0
	t1=$(now_ms)
	settle "$VPID"
	echo "# storm sent in $((t1 - t0)) ms"
	check vigil_survives_the_storm "vigil $VPID is gone" alive "$VPID"
	check child_survives_the_storm "vigil has no child left" test -n "$(children "$VPID")"
	terms=$(grep -c '^15 ' "$T/got")
	others=$(grep -vc '^15 ' "$T/got")
	echo "# child saw $terms TERM and $others other signals (standard signals coalesce)"
	check child_got_terms_during_the_storm "child saw no TERM" test "$terms" -gt 0
	check child_got_only_sent_signals "unexpected: $(grep -Ev "^(15|1|10|28|2|$RT1) " "$T/got" | head -3 | tr '\n' ' ')" \
		test -z "$(grep -Ev "^(15|1|10|28|2|$RT1) " "$T/got")"
	kill -USR2 "$VPID"
	wait_exit 10
	check_rc final_signal_after_storm_ends_child_with_its_status 42
else
	fail storm_child_started "vigil or sigrecv did not start"
fi

# 2. A shell child that really ignores TERM (SIG_IGN), with -g.
if start_pid1 -g -- sh -c "trap '' TERM HUP INT USR1 WINCH $RT1; trap 'exit 7' USR2; : >\"$T/sh.ready\"; while :; do sleep 0.05; done" &&
	wait_file 5 "$T/sh.ready"; then
	storm "$VPID" || fail shell_storm_was_sent "vigil vanished during the storm"
	settle "$VPID"
	check vigil_survives_storm_with_ignoring_shell "vigil $VPID is gone" alive "$VPID"
	check ignoring_shell_survives_storm "vigil has no child left" test -n "$(children "$VPID")"
	kill -USR2 "$VPID"
	wait_exit 10
	check_rc final_signal_after_storm_ends_shell_with_its_status 7
else
	fail storm_shell_started "vigil or the shell did not start"
fi

summary
