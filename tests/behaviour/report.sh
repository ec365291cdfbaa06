# report: the JSON exit report and the termination log say why vigil ended.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"

field() { grep -q "\"$1\":$2" "$T/r.json"; }
expect() { check "$1" "$(cat "$T/r.json" 2>/dev/null)" field "$2" "$3"; }

run pid1 --report "$T/r.json" -- sh -c 'exit 3'
check_rc exited_status 3
expect exited_reason reason '"exited"'
expect exited_child_code child_exit_code 3
expect exited_schema schema_version 1
expect exited_no_signal signal null
expect exited_reaped processes_reaped 1

run pid1 --report "$T/r.json" -- sh -c 'kill -USR1 $$'
check_rc signaled_status 138
expect signaled_reason reason '"signaled"'
expect signaled_name signal '"SIGUSR1"'
expect signaled_number signal_number 10

run pid1 --report "$T/r.json" -- /nonexistent/cmd
check_rc exec_failed_status 127
expect exec_failed_reason reason '"exec_failed"'
check exec_failed_error "$(cat "$T/r.json")" grep -q '"error":"/nonexistent/cmd: No such file or directory"' "$T/r.json"

# Who sent the terminating signal: from outside the namespace the sender
# pid reads as 0; from inside it is the sender's pid.
start_pid1 --report "$T/r.json" -- sh -c 'trap "exit 0" TERM; sleep 100 & wait'
sleep 0.3
kill -TERM "$VPID"
wait_exit 5
check_rc term_from_outside_status 0
expect term_received received_signal '"SIGTERM"'
expect term_sender_outside sender_pid 0
run pid1 --report "$T/r.json" -- sh -c 'trap "exit 0" TERM; (sleep 0.2; kill -TERM 1) & sleep 100 & wait'
check_rc term_from_inside_status 0
check term_sender_inside "$(cat "$T/r.json")" grep -Eq '"sender_pid":[1-9][0-9]*' "$T/r.json"

# -e 143 remaps the exit code of a SIGTERM death to 0; the report still
# says the child was killed by SIGTERM, and a remapped death is a success
# for the restart policy.
rm -f "$T/r.json" "$T/runs"
start_pid1 --report "$T/r.json" -e 143 --restart on-failure:1 --restart-delay 100ms -- \
	sh -c "echo >> \"$T/runs\"; exec sleep 100"
if wait_file 5 "$T/runs"; then
	CHILD=$(children "$VPID")
	kill -TERM "${CHILD%% *}"
	wait_exit 10
	check_rc remapped_signal_death_status 0
	expect remapped_signal_death_exit_code exit_code 0
	expect remapped_signal_death_reason reason '"signaled"'
	expect remapped_signal_death_signal signal '"SIGTERM"'
	expect remapped_signal_death_child_code child_exit_code null
	check remapped_signal_death_is_not_restarted "runs: $(wc -l <"$T/runs")" test "$(wc -l <"$T/runs")" -eq 1
else
	fail remapped_signal_death_started "the child did not start"
fi

# Destinations: stderr ("-"), an inherited fd, a file; the termination log
# has a human line first and stays under Kubernetes' 4096 bytes.
run pid1 --report - -- true
check report_to_stderr "$(cat "$T/err")" grep -q '^{"schema_version":1,' "$T/err"
timeout 10 unshare --pid --fork --mount-proc "$VIGIL" --report fd:3 -- true 3>"$T/fd3" </dev/null
check report_to_fd "$(cat "$T/fd3")" grep -q '"reason":"exited"' "$T/fd3"
LONG=$(printf 'x%.0s' $(seq 1 3000))
run pid1 --termination-log "$T/tlog" -- sh -c 'exit 7' "$LONG"
check_rc termination_log_status 7
check termination_log_summary "$(head -1 "$T/tlog")" grep -q '^vigil: sh exited with code 7' "$T/tlog"
check termination_log_has_json "$(cat "$T/tlog")" grep -q '"reason":"exited"' "$T/tlog"
check termination_log_bounded "$(wc -c <"$T/tlog") bytes" test "$(wc -c <"$T/tlog")" -le 4096

# JSON escaping of a hostile command name.
ln -s "$(command -v true)" "$T/we\"ird"
run pid1 --report "$T/r.json" -- "$T/we\"ird"
check report_escapes_quotes "$(cat "$T/r.json")" grep -q 'we\\"ird' "$T/r.json"
summary
