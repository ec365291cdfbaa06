# hostile_files: what a dropped child (or a previous run's child) plants at
# the names of vigil's own files - symlinks, hard links, FIFOs, directories -
# is refused or replaced, never followed; nothing hangs; bad destinations
# are refused at start; the report always parses and goes where it should.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v jq >/dev/null || skip_all "needs jq (scripts/deps.sh installs it)"

D=$T/app
V=$T/victim
RUN=$T/ran
FILES=(--report "$D/r.json" --termination-log "$D/tlog" --state-file "$D/state")

fresh() {
	rm -rf "$D" "$RUN"
	mkdir -p "$D"
	for i in 1 2 3 4; do
		printf 'secret-%s\n' "$i" >"$V$i"
		chmod 0600 "$V$i"
	done
}
victims_intact() {
	for i in 1 2 3 4; do
		[ "$(cat "$V$i")" = "secret-$i" ] || return 1
	done
}
not_run() { [ ! -e "$RUN" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
one_line() { [ "$(grep -c '^vigil:' "$T/err")" -eq 1 ]; }
err_text() { head -c 400 "$T/err" | tr '\n' '|'; }
# parses FILE: one report, valid UTF-8 and valid JSON (jq alone would let
# bad bytes in, and says nothing about an empty file).
parses() {
	[ "$(jq -s length "$1" 2>/dev/null)" = 1 ] &&
		iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1 && jq -e .schema_version "$1" >/dev/null 2>&1
}

PLANT_LINKS="ln -sfn ${V}1 $D/r.json; ln -sfn ${V}2 $D/tlog; ln -sfn ${V}3 $D/state; ln -sfn ${V}4 $D/state.tmp"

# 1. The child replaces the three names (and the old fixed temp name) with
#    symlinks to root-only files; root vigil must not write through them.
fresh
run pid1 "${FILES[@]}" -- sh -c "$PLANT_LINKS; exit 3"
check_rc planted_symlinks_keep_child_status 3
check planted_symlinks_victims_unchanged "$(cat "${V}1" "${V}2" "${V}3" "${V}4" | tr '\n' ' ')" victims_intact
check planted_symlink_report_refused "$(err_text)" err_has "write report to $D/r.json: is a symbolic link"
check planted_symlink_tlog_refused "$(err_text)" err_has "write termination log $D/tlog: is a symbolic link"
check planted_symlink_state_refused "$(err_text)" err_has "write state file $D/state: is a symbolic link"

# 2. The same from a real dropped child, in a folder it owns (README's
#    state-file example).
if run pid1 --user nobody --preflight off -- true && [ "$RC" = 0 ]; then
	fresh
	chmod 711 "$T"
	chown nobody "$D"
	run pid1 --user nobody --preflight off "${FILES[@]}" -- sh -c "$PLANT_LINKS; exit 0"
	check_rc dropped_child_symlinks_status 0
	check dropped_child_symlinks_victims_unchanged "$(cat "${V}1" "${V}2" "${V}3" "${V}4" | tr '\n' ' ')" victims_intact
	check dropped_child_symlinks_refused "$(err_text)" test "$(grep -c 'is a symbolic link' "$T/err")" -eq 3
else
	echo "# skip: --user nobody does not work here"
fi

# 3. A hard link to a root file at the report name is replaced, not written into.
fresh
run pid1 --report "$D/r.json" -- sh -c "ln -f ${V}1 $D/r.json"
check planted_hardlink_victim_unchanged "$(cat "${V}1")" victims_intact
check planted_hardlink_replaced "$(cat "$D/r.json")" parses "$D/r.json"

# 4. FIFOs planted at exit: vigil says why and ends, without waiting for a reader.
fresh
RUN_TIMEOUT=8 run pid1 "${FILES[@]}" -- sh -c "rm -f $D/state; mkfifo $D/r.json $D/tlog $D/state; exit 5"
check_rc planted_fifos_do_not_hang 5
check planted_fifos_refused "$(err_text)" test "$(grep -c 'is a FIFO' "$T/err")" -eq 3

# 5. A directory planted at exit.
fresh
run pid1 --report "$D/r.json" -- sh -c "mkdir $D/r.json"
check_rc planted_directory_status 0
check planted_directory_refused "$(err_text)" err_has "write report to $D/r.json: Is a directory"

# 6. Destinations are checked at start: usage error, one line, command not run.
start_case() {
	local name=$1 want=$2
	shift 2
	rm -f "$RUN"
	RUN_TIMEOUT=8 run pid1 "$@" -- sh -c "touch $RUN"
	check_rc "${name}_is_usage_error" 64
	check "${name}_not_run" "the command ran" not_run
	check "${name}_one_line" "$(err_text)" one_line
	check "${name}_says_why" "$(err_text)" err_has "$want"
}
fresh
mkfifo "$D/fifo"
mkdir "$D/dir"
ln -s "${V}1" "$D/link"
start_case report_fd_not_a_number "--report fd:abc: invalid fd" --report fd:abc
start_case report_fd_not_open "--report fd:999: that file descriptor is not open" --report fd:999
start_case report_directory "--report $D/dir: Is a directory" --report "$D/dir"
start_case report_missing_folder "--report $D/nope/r.json: its folder does not exist" --report "$D/nope/r.json"
start_case report_fifo "--report $D/fifo: is a FIFO" --report "$D/fifo"
start_case tlog_directory "--termination-log $D/dir: Is a directory" --termination-log "$D/dir"
start_case tlog_fifo "--termination-log $D/fifo: is a FIFO" --termination-log "$D/fifo"
start_case tlog_symlink "--termination-log $D/link: is a symbolic link" --termination-log "$D/link"
start_case state_fifo "--state-file $D/fifo: is a FIFO" --state-file "$D/fifo"
start_case state_directory "--state-file $D/dir: Is a directory" --state-file "$D/dir"
start_case state_symlink "--state-file $D/link: is a symbolic link" --state-file "$D/link"
start_case state_missing_folder "--state-file $D/nope/s: its folder does not exist" --state-file "$D/nope/s"
check state_symlink_victim_unchanged "$(cat "${V}1")" victims_intact
mkdir -p "$T/cwd"
(cd "$T/cwd" && start_case state_empty "--state-file : empty path" --state-file '')
check state_empty_no_stray_file "$(ls -A "$T/cwd")" test -z "$(ls -A "$T/cwd")"

# 7. Hostile state files left by an earlier run.
fresh
{ printf '#%.0s' $(seq 1 700); printf '\nruns=5\nrestarts=0\nlast_exit=0\n'; } >"$D/state"
run pid1 --state-file "$D/state" -- sh -c "touch $RUN"
check_rc state_long_comment_still_refused 75
check state_long_comment_not_run "the command ran" not_run
{ for i in $(seq 1 9000); do echo '#.......'; done; echo runs=0; } >"$D/state"
run pid1 --state-file "$D/state" -- sh -c "touch $RUN"
check_rc state_huge_file_refused 125
check state_huge_file_not_run "the command ran" not_run
check state_huge_file_says_why "$(err_text)" err_has "read state file $D/state: File too large"
# A refused start keeps the real last exit of the run that happened.
rm -f "$D/state"
run pid1 --state-file "$D/state" -- sh -c 'exit 3'
run pid1 --state-file "$D/state" -- true
check_rc state_second_start_refused 75
check state_refused_keeps_last_exit "$(tr '\n' ' ' <"$D/state")" grep -qx 'last_exit=3' "$D/state"

# 8. The report always parses: a 1,060-character command and invalid UTF-8.
fresh
ln -s "$(type -P true)" "$T/tru"
LONGCMD="$T$(printf '/.%.0s' $(seq 1 530))/tru"
run pid1 --report "$D/r.json" --termination-log "$D/tlog" -- "$LONGCMD"
check_rc long_command_runs 0
check long_command_report_written "$(head -c 300 "$D/r.json" 2>/dev/null)" parses "$D/r.json"
check long_command_cut_with_marker "$(jq -r .command "$D/r.json" 2>/dev/null | tail -c 20)" \
	sh -c "jq -r .command '$D/r.json' | grep -q '\.\.\.\$'"
tail -n +2 "$D/tlog" >"$T/tjson" 2>/dev/null
check long_command_termination_log_has_json "$(head -c 300 "$D/tlog")" parses "$T/tjson"
BAD="$T/bad"$'\xff\xfe'"name"
ln -s "$(type -P true)" "$BAD"
run pid1 --report "$D/r.json" --termination-log "$D/tlog" -- "$BAD"
check_rc invalid_utf8_command_runs 0
check invalid_utf8_report_parses "$(head -c 300 "$D/r.json" 2>/dev/null)" parses "$D/r.json"
check invalid_utf8_bytes_replaced "$(cat "$D/r.json")" grep -q 'bad\\ufffd\\ufffdname' "$D/r.json"
check invalid_utf8_termination_log_valid "$(head -c 300 "$D/tlog")" iconv -f UTF-8 -t UTF-8 "$D/tlog" -o /dev/null

# 9. fd:N is vigil's: the child neither inherits it nor can forge lines on it.
timeout 10 unshare --pid --fork --mount-proc --kill-child "$VIGIL" --report fd:3 -- \
	sh -c "if [ -e /proc/self/fd/3 ]; then touch $RUN; echo forged >&3; fi; exit 0" \
	3>"$T/fd3" </dev/null 2>"$T/err"
check report_fd_not_inherited "the child had fd 3" not_run
check report_fd_only_vigils_line "$(cat "$T/fd3")" test "$(wc -l <"$T/fd3")" -eq 1
check report_fd_parses "$(cat "$T/fd3")" parses "$T/fd3"

# 9b. ...unless it is a socket-activation fd meant for the command: then
#     it is refused at start, and the command keeps its fd.
rm -f "$RUN"
timeout 10 unshare --pid --fork --mount-proc --kill-child env LISTEN_PID=1 LISTEN_FDS=2 \
	"$VIGIL" --report fd:4 -- sh -c "touch $RUN" 3>"$T/l3" 4>"$T/l4" </dev/null 2>"$T/err"
echo $? >"$T/rc"
check report_fd_of_socket_activation_is_usage_error "exit $(cat "$T/rc")" test "$(cat "$T/rc")" -eq 64
check report_fd_of_socket_activation_not_run "the command ran" not_run
check report_fd_of_socket_activation_says_why "$(head -c 300 "$T/err")" \
	grep -q -- '--report fd:4: is a socket-activation fd' "$T/err"
# LISTEN_PID naming someone else: the fds are not the command's; fd:4 is vigil's.
timeout 10 unshare --pid --fork --mount-proc --kill-child env LISTEN_PID=77 LISTEN_FDS=2 \
	"$VIGIL" --report fd:4 -- true 3>"$T/l3" 4>"$T/l4" </dev/null 2>"$T/err"
check report_fd_other_listen_pid_accepted "$(head -c 300 "$T/err")" parses "$T/l4"

# 10. --report /dev/stderr appends to a log file, it does not truncate it.
printf 'LOG-BEFORE\n' >"$T/log"
timeout 10 unshare --pid --fork --mount-proc --kill-child "$VIGIL" --report /dev/stderr -- true \
	2>>"$T/log" </dev/null >/dev/null
check dev_stderr_keeps_log "$(head -c 300 "$T/log")" grep -q '^LOG-BEFORE$' "$T/log"
check dev_stderr_gets_report "$(head -c 300 "$T/log")" grep -q '^{"schema_version":1' "$T/log"
run pid1 --report /dev/null -- true
check_rc character_device_named_on_purpose 0
check character_device_no_error "$(err_text)" test ! -s "$T/err"

# 11. A child sets O_NONBLOCK on the shared stderr pipe and fills it: the
#     report still arrives once the reader drains the pipe.
rm -f "$T/full" "$T/piped"
drain() {
	wait_for 10 test -e "$T/full"
	sleep 0.3
	cat >"$T/piped"
}
timeout 20 unshare --pid --fork --mount-proc --kill-child "$VIGIL" --report - -- \
	"$HELPERS/nbfill" 2 "$T/full" 2>&1 >/dev/null </dev/null | drain
check nonblocking_full_stderr_keeps_report "$(tail -c 300 "$T/piped" 2>/dev/null)" \
	grep -q '^{"schema_version":1' "$T/piped"

# 12. Kubernetes bind-mounts a regular file at the termination log: a
#     rename over it fails, so it is written in place (and cut to length).
fresh
head -c 8000 /dev/zero | tr '\0' 'o' >"$T/kubelet-tlog"
: >"$D/tlog"
timeout 20 unshare --mount sh -c "mount --bind '$T/kubelet-tlog' '$D/tlog' && exec unshare --pid --fork --mount-proc --kill-child '$VIGIL' --termination-log '$D/tlog' -- sh -c 'exit 4'" \
	>/dev/null 2>"$T/err" </dev/null
check bind_mounted_tlog_written_in_place "$(head -c 200 "$T/kubelet-tlog")" \
	grep -q '^vigil: sh exited with code 4' "$T/kubelet-tlog"
check bind_mounted_tlog_cut_to_length "$(wc -c <"$T/kubelet-tlog") bytes" \
	test "$(wc -c <"$T/kubelet-tlog")" -lt 4096
check bind_mounted_tlog_no_error "$(err_text)" test ! -s "$T/err"
summary
