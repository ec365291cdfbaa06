# subreaper: not PID 1, -s (or VIGIL_SUBREAPER=1) makes vigil a child
# subreaper that adopts and reaps orphans of its child's tree; without it
# vigil warns once on stderr (-q hides the warning); as PID 1 it is silent.
. "$(dirname "$0")/lib.sh"

orphan_case orphan_is_adopted_and_reaped_with_s adopted -s
orphan_case orphan_is_adopted_and_reaped_with_long_subreaper adopted --subreaper
VIGIL_SUBREAPER=1 orphan_case orphan_is_adopted_and_reaped_with_env_VIGIL_SUBREAPER adopted
orphan_case orphan_is_not_adopted_without_s not-adopted -q

run "$VIGIL" true
check_rc not_pid1_without_s_still_runs_the_child 0
lines=$(wc -l <"$T/err")
check not_pid1_without_s_warns_once "stderr ($lines lines): $(tr '\n' '|' <"$T/err")" \
	test "$lines" -eq 1
check subreaper_warning_mentions_subreaper "stderr: $(cat "$T/err")" grep -q '^vigil: .*subreaper' "$T/err"

run "$VIGIL" -s true
check not_pid1_with_s_does_not_warn "stderr: $(cat "$T/err")" test ! -s "$T/err"
VIGIL_SUBREAPER=1 run "$VIGIL" true
check not_pid1_with_env_subreaper_does_not_warn "stderr: $(cat "$T/err")" test ! -s "$T/err"
run "$VIGIL" -q true
check_rc quiet_still_runs_the_child 0
check quiet_hides_the_subreaper_warning "stderr: $(cat "$T/err")" test ! -s "$T/err"
VIGIL_SUBREAPER=0 run "$VIGIL" true
check env_subreaper_0_is_false "stderr: $(cat "$T/err")" grep -q subreaper "$T/err"
run pid1 true
check pid1_does_not_warn_about_subreaper "stderr: $(cat "$T/err")" test ! -s "$T/err"

# The warning is about vigil, not the child: a failing child still gets it once.
run "$VIGIL" sh -c 'exit 3'
check_rc not_pid1_exit_status_passes_through 3
check not_pid1_warning_is_printed_once_per_run "stderr: $(tr '\n' '|' <"$T/err")" \
	test "$(grep -c subreaper "$T/err")" -eq 1

summary
