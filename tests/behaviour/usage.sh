# usage: command-line errors give 64 and one "vigil: ..." line; --help and
# --version go to stdout with 0; option parsing stops at the first
# non-option, so the command keeps its own flags.
. "$(dirname "$0")/lib.sh"

# usage_error NAME ARGS...: vigil ARGS exits 64 with one line "vigil: ...".
usage_error() {
	local name=$1 lines
	shift
	run "$VIGIL" "$@"
	lines=$(wc -l <"$T/err")
	if [ "$RC" != 64 ]; then
		fail "$name" "exit status $RC, want 64 (stderr: $(tr '\n' '|' <"$T/err"))"
	elif [ "$lines" -ne 1 ] || ! grep -q '^vigil: ' "$T/err"; then
		fail "$name" "want one stderr line starting 'vigil: ', got $lines: $(tr '\n' '|' <"$T/err")"
	elif [ -s "$T/out" ]; then
		fail "$name" "unexpected stdout: $(tr '\n' '|' <"$T/out")"
	else
		ok "$name"
	fi
}

usage_error unknown_long_flag_is_a_usage_error --no-such-flag true
usage_error unknown_short_flag_is_a_usage_error -Z true
usage_error missing_option_value_is_a_usage_error -e
usage_error remap_exit_256_is_rejected -e 256 true
usage_error remap_exit_abc_is_rejected -e abc true
usage_error remap_exit_negative_is_rejected -e -1 true
usage_error remap_exit_empty_is_rejected -e '' true
usage_error rewrite_without_colon_is_rejected -r TERM true
usage_error rewrite_unknown_name_is_rejected -r TERM:NOPE true
usage_error rewrite_from_kill_is_rejected -r KILL:TERM true
usage_error rewrite_signal_out_of_range_is_rejected -r 15:99 true
usage_error rewrite_empty_from_is_rejected -r :TERM true
usage_error pdeath_unknown_signal_is_rejected -p NOPE true
usage_error pdeath_zero_is_rejected -p 0 true
usage_error pdeath_out_of_range_is_rejected --pdeath 65 true
# Only a signal vigil blocks and forwards: 32 would kill vigil when its
# parent dies (orphaning the child), STOP would stop it, KILL kill it.
usage_error pdeath_32_is_rejected -p 32 true
usage_error pdeath_33_is_rejected -p 33 true
usage_error pdeath_stop_is_rejected -p STOP true
usage_error pdeath_kill_is_rejected --pdeath SIGKILL true
usage_error pdeath_chld_is_rejected -p CHLD true
run "$VIGIL" -q -p RTMIN -- true
check_rc pdeath_forwarded_rt_signal_is_accepted 0
usage_error pause_with_command_is_rejected --pause true
if [ "$SUPERVISOR" = 0 ]; then
	usage_error supervisor_flag_in_core_build_is_rejected --supervise true
fi

run "$VIGIL" -e 256 true
check remap_error_names_the_value "stderr: $(cat "$T/err")" grep -q "256" "$T/err"

run "$VIGIL" --help
check_rc help_exits_0 0
check help_goes_to_stdout "stdout: $(head -c 200 "$T/out")" grep -q '^Usage: vigil' "$T/out"
check help_writes_nothing_to_stderr "stderr: $(cat "$T/err")" test ! -s "$T/err"

run "$VIGIL" -h
check_rc short_help_exits_0 0
check short_help_goes_to_stdout "stdout: $(head -c 200 "$T/out")" grep -q '^Usage: vigil' "$T/out"

run "$VIGIL" --version
check_rc version_exits_0 0
check version_prints_vigil_and_number "stdout: $(cat "$T/out")" grep -Eq '^vigil [0-9]+\.[0-9]+' "$T/out"
check version_is_one_line "stdout: $(cat "$T/out")" test "$(wc -l <"$T/out")" -eq 1

# Options after the command belong to the command.
run "$VIGIL" -q echo -g x
check_rc command_flags_run_ok 0
check parsing_stops_at_first_non_option "stdout: $(cat "$T/out")" test "$(cat "$T/out")" = "-g x"

run "$VIGIL" -q printf '%s\n' --help
check command_long_flag_is_not_ours "stdout: $(cat "$T/out")" test "$(cat "$T/out")" = "--help"

run "$VIGIL" -q -- ls -ld /
check_rc double_dash_command_runs 0
check double_dash_passes_dash_l_to_command "stdout: $(cat "$T/out")" grep -q '^d' "$T/out"

run "$VIGIL" -q -- sh -c 'echo "$#:$*"' sh -e 3 -g --
check all_command_arguments_arrive "stdout: $(cat "$T/out")" test "$(cat "$T/out")" = "4:-e 3 -g --"

summary
