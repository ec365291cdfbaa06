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

# Files the kernel cannot run (ENOEXEC) are never handed to /bin/sh, in
# either libc's build: 126 and "Exec format error", by path and by PATH.
# (In $T: a shell reading a binary as a script may create stray files.)
cd "$T" || exit 1
printf 'echo ran-by-a-shell\n' >"$T/no-shebang"
head -c 100 "$(type -P true)" >"$T/truncated-elf"
printf 'just some data\0\1\2' >"$T/data-file"
chmod 755 "$T/no-shebang" "$T/truncated-elf" "$T/data-file"
for f in no-shebang truncated-elf data-file; do
	run pid1 "$T/$f"
	check_rc "${f//-/_}_exits_126" 126
	one_line_matching "${f//-/_}_reports_exec_format_error" "^vigil: exec .*/$f: Exec format error\$"
	check "${f//-/_}_is_not_run_by_a_shell" "stdout: $(cat "$T/out")" test ! -s "$T/out"
done
run pid1 env PATH="$T:/usr/bin:/bin" "$VIGIL" -q -- truncated-elf
check_rc truncated_elf_found_in_path_exits_126 126
if [ "$SUPERVISOR" = 1 ]; then
	run pid1 --report "$T/r.json" -- "$T/no-shebang"
	check no_shebang_report_says_exec_failed "$(cat "$T/r.json")" \
		grep -q '"reason":"exec_failed"' "$T/r.json"
fi

# PATH search as execvp: a refused entry (EACCES) with nothing found
# elsewhere is 126, a hit in a later entry still runs, not found is 127.
mkdir "$T/p1" "$T/p2"
printf '#!/bin/sh\necho from-p1\n' >"$T/p1/vigil-cmd"
printf '#!/bin/sh\necho from-p2\n' >"$T/p2/vigil-cmd"
chmod 644 "$T/p1/vigil-cmd"
chmod 755 "$T/p2/vigil-cmd"
run pid1 env PATH="$T/p1:/usr/bin:/bin" "$VIGIL" -q -- vigil-cmd
check_rc path_entry_not_executable_only_exits_126 126
one_line_matching path_entry_not_executable_reports_permission '^vigil: exec vigil-cmd: Permission denied$'
run pid1 env PATH="$T/p1:$T/p2:/usr/bin:/bin" "$VIGIL" -q -- vigil-cmd
check_rc path_search_goes_past_a_refused_entry 0
check path_search_runs_the_later_hit "stdout: $(cat "$T/out")" grep -qx from-p2 "$T/out"
run pid1 env PATH="$T/nowhere:$T/p1/vigil-cmd" "$VIGIL" -q -- vigil-cmd
check_rc path_entry_that_is_a_file_means_not_found 127

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
