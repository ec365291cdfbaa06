# exit_codes: vigil as PID 1 exits with its child's status, 128+N when the
# child was killed by signal N, and -e CODE turns CODE into 0 (native and
# tini), 128+N included: -e 143 makes a SIGTERM death exit 0, as tini does.
. "$(dirname "$0")/lib.sh"

run pid1 sh -c 'exit 3'
check_rc child_exit_status_3_is_passed_through 3

run pid1 true
check_rc child_exit_status_0_is_passed_through 0

run pid1 sh -c 'exit 255'
check_rc child_exit_status_255_is_passed_through 255

run pid1 sh -c 'kill -KILL $$'
check_rc child_killed_by_sigkill_gives_137 137

run pid1 sh -c 'kill -TERM $$'
check_rc child_killed_by_sigterm_gives_143 143

run pid1 sh -c 'kill -USR1 $$'
check_rc child_killed_by_sigusr1_gives_138 138

run pid1 -e 3 sh -c 'exit 3'
check_rc remap_exit_3_to_0 0

run pid1 -e 3 sh -c 'exit 4'
check_rc remap_exit_3_leaves_4_alone 4

run pid1 -e 3 -e 4 sh -c 'exit 4'
check_rc remap_exit_is_repeatable 0

run pid1 --remap-exit=7 sh -c 'exit 7'
check_rc remap_exit_long_option 0

run pid1 -e 9 sh -c 'kill -KILL $$'
check_rc remap_exit_9_does_not_touch_a_sigkill_death 137

# A TERM from outside (the runtime's stop), not one the child sends itself.
remap_term_case() {
	local name=$1
	shift
	rm -f "$T/ready"
	if start_pid1 "$@" -- sh -c "echo > \"$T/ready\"; exec sleep 100" && wait_file 5 "$T/ready"; then
		kill -TERM "$VPID"
		wait_exit 10
		check_rc "$name" 0
	else
		fail "$name" "vigil or its child did not start"
	fi
}
remap_term_case remap_exit_143_makes_sigterm_death_exit_0 -e 143
run pid1 -e 143 sh -c 'kill -KILL $$'
check_rc remap_exit_143_leaves_sigkill_death_137 137

ln -s "$VIGIL_REAL" "$T/tini"
VBIN=$T/tini run pid1 -e 3 -- sh -c 'exit 3'
check_rc tini_mode_remap_exit_3_to_0 0
VBIN=$T/tini run pid1 -e 3 -- sh -c 'exit 4'
check_rc tini_mode_remap_exit_3_leaves_4_alone 4
VBIN=$T/tini run pid1 -- sh -c 'kill -TERM $$'
check_rc tini_mode_sigterm_death_gives_143 143
VBIN=$T/tini remap_term_case tini_mode_remap_exit_143_makes_sigterm_death_exit_0 -e 143

summary
