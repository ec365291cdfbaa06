#!/usr/bin/env bash
# valgrind: run one behaviour script with every vigil it starts under
# valgrind's memcheck, and fail on any memcheck error. Usage:
#   valgrind.sh SCRIPT.sh   (with the behaviour tests' environment)
# VIGIL becomes a wrapper that execs valgrind on the real binary (children
# not traced: only vigil is checked, up to its exec of the command); under
# its tini/dumb-init names the wrapper hands valgrind a link of that name,
# so the front-end still goes by argv[0]. VIGIL_EXE tells lib.sh what
# /proc/PID/exe shows for such a vigil: valgrind's memcheck tool.
set -u
script=$1
: "${VIGIL:?}"
real=$(readlink -f "$VIGIL")
tool=$(ls /usr/libexec/valgrind/memcheck-*-linux /usr/lib/*/valgrind/memcheck-*-linux \
	2>/dev/null | grep -m1 "$(uname -m | sed 's/x86_64/amd64/')")
command -v valgrind >/dev/null && [ -n "$tool" ] || { echo "# skip: valgrind not installed"; exit 77; }
V=$(mktemp -d "${TMPDIR:-/tmp}/vigil-vg.XXXXXX")
[ -n "${VG_KEEP:-}" ] || trap 'rm -rf "$V"' EXIT
mkdir -p "$V/bin" "$V/names" "$V/logs"
# Some tests run vigil as another user: it must reach the wrapper and log.
chmod 755 "$V" "$V/bin" "$V/names"
chmod 1777 "$V/logs"
for n in tini tini-static docker-init dumb-init; do
	ln -s "$real" "$V/names/$n"
done
# Absolute paths: some tests run vigil with a PATH of their own.
cat >"$V/bin/vigil" <<EOW
#!/bin/sh
prog=$real
[ -e "$V/names/\${0##*/}" ] && prog="$V/names/\${0##*/}"
d=\$($(command -v mktemp) -d "$V/logs/run.XXXXXX") || exit 125
exec $(command -v valgrind) --tool=memcheck --error-exitcode=99 --trace-children=no \\
	--leak-check=no --error-markers=VG-ERROR-BEGIN,VG-ERROR-END \\
	--suppressions=$(cd "$(dirname "$0")" && pwd)/valgrind.supp \\
	--log-file="\$d/%p.log" "\$prog" "\$@"
EOW
chmod +x "$V/bin/vigil"

# Cases that cannot hold under valgrind, by script, with the reason; their
# "not ok" is reported as a skip. (Whole scripts are left out in meson.build.)
declare -A skip=(
	[wait_for:wait_for_ctrl_c_at_the_terminal_stops_the_wait]="the Ctrl-C comes right after start, when valgrind may still catch signals in handlers of its own (as early_signal, left out whole): it never reaches signalfd"
	[exec_errors:missing_command_reports_one_line]="valgrind runs vfork as a fork, so the exec error record the child writes stays in its own copy: vigil exits 127 as it should but cannot print why (see README, How it works)"
	[exec_errors:missing_path_reports_one_line]="as missing_command_reports_one_line"
	[exec_errors:non_executable_file_reports_one_line]="as missing_command_reports_one_line"
	[exec_errors:directory_reports_one_line]="as missing_command_reports_one_line"
	[exec_errors:no_shebang_reports_exec_format_error]="as missing_command_reports_one_line"
	[exec_errors:data_file_reports_exec_format_error]="as missing_command_reports_one_line"
	[exec_errors:path_entry_not_executable_reports_permission]="as missing_command_reports_one_line"
	[exec_errors:missing_command_not_pid1_reports_one_line]="as missing_command_reports_one_line"
	[trace:json_exec_error]="as exec_errors:missing_command_reports_one_line"
	[exec_errors:truncated_elf_exits_126]="valgrind cannot recover from an execve that the kernel refuses after its own checks passed (\"EXEC FAILED ... I am dying\", status 101), so ENOEXEC never reaches vigil"
	[exec_errors:truncated_elf_reports_exec_format_error]="as truncated_elf_exits_126"
	[exec_errors:truncated_elf_found_in_path_exits_126]="as truncated_elf_exits_126"
	[reaping:fast_exiting_child_ends_vigil_promptly]="a time limit: each vigil takes about 0.7 s to start under valgrind"
	[forwarding:sigrtmax_is_forwarded_as_itself]="valgrind keeps signal 64 (SIGRTMAX) for itself"
	[forwarding:user_sent_sigbus_is_forwarded_not_fatal]="valgrind never blocks the fault signals in the kernel: a user-sent SIGBUS can land in valgrind's own handler, out of signalfd's sight (fails in about half the runs)"
	[trace:json_signal_forwarded]="valgrind starts a process of its own first, so the child is pid 3, not 2"
	[trace:json_reaped_main]="as json_signal_forwarded"
	[trace:json_preflight_warning]="valgrind writes its own files in \$TMPDIR, which this case points at a missing folder"
	[teardown:reparented_children_get_sigterm]="vigil's /proc passes, 20-50 times slower under valgrind, outlast the test's grace period"
	[teardown:no_proc_pid1_status]="runs a copy of the binary in a chroot, where the valgrind wrapper cannot run"
	[teardown:no_proc_pid1_grace_kills_leftover]="as no_proc_pid1_status"
	[teardown:no_proc_pid1_count_unknown]="as no_proc_pid1_status"
)
name=$(basename "$script" .sh)
out=$(VIGIL=$V/bin/vigil VIGIL_EXE=$tool VIGIL_START_S=30 bash "$script" 2>&1)
rc=$?
real_fails=0 skipped=0 totals=
while IFS= read -r line; do
	case $line in
	"not ok - "*)
		case_name=${line#not ok - }
		case_name=${case_name%%:*}
		if [ -n "${skip[$name:$case_name]:-}" ]; then
			echo "ok - $case_name # SKIP under valgrind: ${skip[$name:$case_name]}"
			skipped=$((skipped + 1))
			continue
		fi
		real_fails=$((real_fails + 1)) ;;
	"# totals: "*) totals=$line ;;
	esac
	printf '%s\n' "$line"
done <<<"$out"
# A script that stopped without its totals line failed whatever it says;
# one whose only failures are skipped cases passed.
if [ "$rc" -ne 0 ] && [ -n "$totals" ] && [ "$real_fails" -eq 0 ]; then
	rc=0
fi
[ "$skipped" -gt 0 ] && echo "# $skipped case(s) skipped under valgrind"

runs=$(find "$V/logs" -name '*.log' | wc -l)
bad=$(grep -l VG-ERROR-BEGIN "$V"/logs/*/*.log 2>/dev/null)
if [ -n "$bad" ]; then
	echo "not ok - no_valgrind_errors: memcheck errors in $(echo "$bad" | wc -l) of $runs vigil processes:"
	for f in $bad; do
		sed -n '/VG-ERROR-BEGIN/,/VG-ERROR-END/p' "$f" | head -n 60
	done
	rc=1
else
	echo "ok - no_valgrind_errors ($runs vigil processes checked)"
fi
# Not errors, but worth seeing: system calls valgrind does not know.
grep -h 'unhandled' "$V"/logs/*/*.log 2>/dev/null | sed 's/^==[0-9]*== */# valgrind: /' | sort -u
exit "$rc"
