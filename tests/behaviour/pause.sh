# pause: `vigil --pause` as PID 1 runs no command, reaps orphans that are
# re-parented to it, ignores other signals, and exits 0 on TERM or INT;
# `--pause CMD` is a usage error.
. "$(dirname "$0")/lib.sh"

run "$VIGIL" --pause true
check_rc pause_with_command_is_a_usage_error 64
check pause_with_command_says_why "stderr: $(cat "$T/err")" grep -q '^vigil: .*--pause' "$T/err"

for s in TERM INT; do
	if start_pid1 --pause; then
		wait_for 2 no_pending "$VPID"   # let it reach its loop
		sleep 0.1
		kill -s "$s" "$VPID"
		wait_exit 5
		check_rc "pause_exits_0_on_${s,,}" 0
	else
		fail "pause_exits_0_on_${s,,}" "vigil did not start"
	fi
done

if start_pid1 --pause; then
	sleep 0.1
	for s in USR1 HUP QUIT USR2 WINCH CHLD RTMIN; do
		kill -s "$s" "$VPID"
	done
	settle "$VPID"
	sleep 0.2
	check pause_ignores_other_signals "vigil exited on USR1/HUP/QUIT/... (state $(proc_state "$VPID"))" alive "$VPID"
	check pause_has_no_child "children: $(children "$VPID")" test -z "$(children "$VPID")"

	# Orphans in its namespace: nsenter's child runs inside it, its own
	# children are re-parented to vigil when it exits.
	if command -v nsenter >/dev/null; then
		timeout 10 nsenter --target "$VPID" --pid --mount -- sh -c \
			'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.3 & done'
		# Host pids of the namespace's processes: vigil's children.
		wait_for 3 has_children "$VPID"
		adopted=$(children "$VPID" | wc -w)
		check pause_adopts_orphans "vigil adopted $adopted of 10" test "$adopted" -eq 10
		if wait_for 5 no_children "$VPID"; then
			ok pause_reaps_adopted_orphans
		else
			fail pause_reaps_adopted_orphans "left: $(for p in $(children "$VPID"); do echo "$p:$(proc_state "$p")"; done)"
		fi
	else
		echo "# skip: nsenter missing, orphan reaping in pause mode not tested"
	fi
	check pause_still_alive_after_reaping "vigil gone" alive "$VPID"
	kill -TERM "$VPID"
	wait_exit 5
	check_rc pause_exits_0_on_term_after_all_that 0
else
	fail pause_started "vigil did not start"
fi

summary
