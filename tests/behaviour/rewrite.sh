# rewrite: -r FROM:TO makes the child see TO when vigil gets FROM (names,
# SIG-names, numbers, real-time signals), TO=0 drops FROM, and signals
# that are not rewritten still pass unchanged.
. "$(dirname "$0")/lib.sh"

SIGWAIT=$HELPERS/sigwait
[ -x "$SIGWAIT" ] || { fail sigwait_helper_present "$SIGWAIT missing"; summary; }

# The child (sigwait) exits with the number of the first signal it gets,
# so vigil's exit status tells which signal reached the child.
# rewrite_case NAME EXPECTED_STATUS "SIGNALS TO SEND" VIGIL OPTIONS...
rewrite_case() {
	local name=$1 want=$2 sigs=$3 s
	shift 3
	rm -f "$T/ready"
	if ! start_pid1 "$@" -- "$SIGWAIT" -r "$T/ready" -t 8; then
		fail "$name" "vigil did not start"
		return
	fi
	if ! wait_file 5 "$T/ready"; then
		fail "$name" "sigwait never got ready"
		return
	fi
	for s in $sigs; do
		kill -s "$s" "$VPID"
		settle "$VPID"     # one at a time, so the order is the sending order
	done
	wait_exit 10
	check_rc "$name" "$want"
}

rewrite_case rewrite_TERM_to_USR1_by_name 10 TERM -r TERM:USR1
rewrite_case rewrite_by_number_15_to_10 10 TERM -r 15:10
rewrite_case rewrite_with_SIG_prefix 10 TERM -r SIGTERM:SIGUSR1
rewrite_case rewrite_mixed_name_and_number 12 INT -r INT:12
rewrite_case rewrite_long_option 10 TERM --rewrite=TERM:USR1
rewrite_case rewrite_to_realtime_signal "$(kill -l RTMIN+2)" USR1 -r USR1:RTMIN+2
rewrite_case rewrite_from_realtime_signal 1 RTMAX -r RTMAX:HUP
rewrite_case signal_not_rewritten_passes_unchanged 1 HUP -r TERM:USR1
rewrite_case rewrite_is_not_applied_twice 10 TERM -r TERM:USR1 -r USR1:USR2
rewrite_case several_rewrites_apply_each 12 HUP -r TERM:USR1 -r HUP:USR2
# USR2 dropped: the child's first signal is the later marker TERM, not USR2.
rewrite_case rewrite_to_0_drops_the_signal 15 "USR2 TERM" -r USR2:0
rewrite_case rewrite_to_0_drops_repeated_signals 15 "USR2 USR2 USR2 TERM" -r USR2:0
# Dropping one signal does not drop another.
rewrite_case rewrite_to_0_keeps_other_signals 10 "USR1" -r USR2:0
# Without -r TERM passes as TERM: the checks above are not vacuous.
rewrite_case no_rewrite_passes_TERM 15 TERM

summary
