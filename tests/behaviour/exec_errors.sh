# exec_errors: a command that cannot be started gives 127 (not found) or
# 126 (not executable) with exactly one "vigil: exec ..." line; no command 64.
. "$(dirname "$0")/lib.sh"

# one_line_matching NAME ERE: $T/err is exactly one line matching ERE.
one_line_matching() {
	local lines
	lines=$(wc -l <"$T/err")
	if [ "$lines" -eq 1 ] && grep -Eq -- "$2" "$T/err"; then
		ok "$1"
	else
		fail "$1" "stderr is $lines line(s), want one matching /$2/: $(tr '\n' '|' <"$T/err")"
	fi
}

run pid1 vigil-no-such-command-xyz arg
check_rc missing_command_exits_127 127
one_line_matching missing_command_reports_one_line \
	'^vigil: exec vigil-no-such-command-xyz: No such file or directory$'
check "missing_command_prints_nothing_on_stdout" "stdout: $(cat "$T/out")" test ! -s "$T/out"

run pid1 "$T/no-such-dir/cmd"
check_rc missing_path_exits_127 127
one_line_matching missing_path_reports_one_line '^vigil: exec .*/no-such-dir/cmd: No such file or directory$'

printf '#!/bin/sh\necho should-not-run\n' >"$T/not-executable"
chmod 644 "$T/not-executable"
run pid1 "$T/not-executable"
check_rc non_executable_file_exits_126 126
one_line_matching non_executable_file_reports_one_line '^vigil: exec .*/not-executable: Permission denied$'
check non_executable_file_did_not_run "stdout: $(cat "$T/out")" test ! -s "$T/out"

mkdir "$T/a-directory"
run pid1 "$T/a-directory"
check_rc directory_exits_126 126
one_line_matching directory_reports_one_line '^vigil: exec .*/a-directory: '

run pid1
check_rc no_command_exits_64 64
one_line_matching no_command_reports_one_line '^vigil: .*missing command'

run pid1 --
check_rc only_double_dash_exits_64 64
one_line_matching only_double_dash_reports_one_line '^vigil: '

# Not PID 1: the same single line (-q hides the subreaper warning).
run "$VIGIL" -q vigil-no-such-command-xyz
check_rc missing_command_not_pid1_exits_127 127
one_line_matching missing_command_not_pid1_reports_one_line '^vigil: exec vigil-no-such-command-xyz: No such file or directory$'

# A command that exits 127 itself is not an exec error: no vigil line.
run pid1 sh -c 'exit 127'
check_rc command_exiting_127_passes_through 127
check command_exiting_127_adds_no_message "stderr: $(cat "$T/err")" test ! -s "$T/err"

summary
