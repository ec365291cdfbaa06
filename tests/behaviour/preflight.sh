# preflight: with --preflight fail a broken temp dir ($TMPDIR, else /tmp)
# stops the start with exit 78 and one line naming the check and the path;
# warn reports and runs the command anyway; off checks nothing.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"

# one_line NAME FIXED...: stderr is one line, starting "vigil: ", that
# contains every FIXED string.
one_line() {
	local name=$1 lines s
	shift
	lines=$(wc -l <"$T/err")
	if [ "$lines" -ne 1 ] || ! grep -q '^vigil: ' "$T/err"; then
		fail "$name" "stderr is $lines line(s): $(tr '\n' '|' <"$T/err")"
		return
	fi
	for s in "$@"; do
		if ! grep -qF -- "$s" "$T/err"; then
			fail "$name" "'$s' not in: $(cat "$T/err")"
			return
		fi
	done
	ok "$name"
}

ran() { test -e "$T/ran"; }
not_ran() { test ! -e "$T/ran"; }
cmd=(sh -c 'touch "$1"; exit "$2"' sh "$T/ran")

missing=$T/missing
rm -f "$T/ran"
TMPDIR=$missing run pid1 --preflight fail -- "${cmd[@]}" 0
check_rc fail_missing_dir_exits_78 78
one_line fail_missing_dir_names_check_and_path exists "$missing"
check fail_missing_dir_does_not_run_command "command ran" not_ran

rm -f "$T/ran"
TMPDIR=$missing run pid1 --preflight warn -- "${cmd[@]}" 3
check_rc warn_missing_dir_passes_exit_code 3
one_line warn_missing_dir_warns exists "$missing"
check warn_missing_dir_runs_command "command did not run" ran

rm -f "$T/ran"
TMPDIR=$missing run pid1 --preflight off -- "${cmd[@]}" 0
check_rc off_missing_dir_exits_0 0
check off_missing_dir_is_silent "stderr: $(cat "$T/err")" test ! -s "$T/err"
check off_missing_dir_runs_command "command did not run" ran

good=$T/good
mkdir -m 0700 "$good"
rm -f "$T/ran"
TMPDIR=$good run pid1 --preflight fail -- "${cmd[@]}" 0
check_rc good_dir_exits_0 0
check good_dir_is_silent "stderr: $(cat "$T/err")" test ! -s "$T/err"
check good_dir_runs_command "command did not run" ran
check good_dir_left_clean "left: $(ls -A "$good")" test -z "$(ls -A "$good")"

open=$T/open
mkdir "$open"
chmod 0777 "$open"
rm -f "$T/ran"
TMPDIR=$open run pid1 --preflight fail -- "${cmd[@]}" 0
check_rc non_sticky_dir_exits_78 78
one_line non_sticky_dir_names_sticky_bit sticky_bit "$open"
check non_sticky_dir_does_not_run_command "command ran" not_ran
chmod 1777 "$open"
TMPDIR=$open run pid1 --preflight fail -- true
check_rc sticky_world_writable_dir_passes 0

file=$T/file
: >"$file"
TMPDIR=$file run pid1 --preflight fail -- true
check_rc file_as_tmpdir_exits_78 78
one_line file_as_tmpdir_names_is_directory is_directory "$file"

# Unix socket paths are limited to 108 bytes; runtimes that bind sockets
# in $TMPDIR fail at start when it is deeper than that.
deep=$T/$(printf 'd%.0s' $(seq 1 120))
mkdir "$deep"
TMPDIR=$deep run pid1 --preflight fail -- true
check_rc deep_dir_exits_78 78
one_line deep_dir_names_unix_socket_bind unix_socket_bind "$deep"
check deep_dir_left_clean "left: $(ls -A "$deep")" test -z "$(ls -A "$deep")"

# The flag is given, so the check uses /tmp when TMPDIR is empty.
TMPDIR= run pid1 --preflight fail -- true
check_rc empty_tmpdir_checks_slash_tmp 0

report_has() { grep -q -- "$1" "$T/r.json" 2>/dev/null; }
rm -f "$T/r.json"
TMPDIR=$missing run pid1 --preflight fail --report "$T/r.json" -- true
check_rc report_run_exits_78 78
check report_says_preflight_failed "report: $(cat "$T/r.json" 2>/dev/null)" \
	report_has '"reason":"preflight_failed"'
check report_is_one_object "report: $(cat "$T/r.json" 2>/dev/null)" \
	test "$(grep -c '"reason"' "$T/r.json" 2>/dev/null)" = 1

summary
