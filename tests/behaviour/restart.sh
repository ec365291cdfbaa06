# restart: --restart no never restarts; on-failure:MAX restarts with
# backoff then gives up with restart_limit; the state file carries the
# policy across restarts done by the container runtime.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"

runs() { wc -l <"$T/runs" 2>/dev/null || echo 0; }
CHILD="echo run >> $T/runs; exit 3"

run pid1 --report "$T/r.json" -- sh -c "$CHILD"
check_rc no_restart_by_default 3
check no_restart_runs_once "ran $(runs) times" test "$(runs)" -eq 1

rm -f "$T/runs"
t0=$(now_ms)
run pid1 --restart on-failure:2 --restart-delay 100ms --report "$T/r.json" -- sh -c "$CHILD"
dt=$(( $(now_ms) - t0 ))
check_rc on_failure_gives_child_status 3
check on_failure_runs_max_plus_one "ran $(runs) times" test "$(runs)" -eq 3
check on_failure_backoff_doubles "took ${dt} ms, want >= 300 (100+200)" test "$dt" -ge 300
check on_failure_reason_restart_limit "$(cat "$T/r.json")" grep -q '"reason":"restart_limit"' "$T/r.json"
check on_failure_counts_restarts "$(cat "$T/r.json")" grep -q '"restarts":2' "$T/r.json"
# The limit reached during the run passes the last child's status on
# (README: not 75, which means "refused at start, nothing ran").
run pid1 --restart on-failure:1 --restart-delay 50ms --report "$T/r.json" -- sh -c 'kill -KILL $$'
check_rc restart_limit_gives_128_plus_signal 137
check restart_limit_killed_child_reason "$(cat "$T/r.json")" grep -q '"reason":"restart_limit".*"signal":"SIGKILL"' "$T/r.json"

rm -f "$T/runs"
run pid1 --restart on-failure:5 --restart-delay 50ms -- sh -c "echo run >> $T/runs; [ \$(wc -l < $T/runs) -ge 2 ]"
check_rc on_failure_stops_after_success 0
check on_failure_success_ends_restarts "ran $(runs) times" test "$(runs)" -eq 2

# A stop request during the restart delay cancels the restart.
rm -f "$T/runs"
start_pid1 --restart on-failure --restart-delay 3s -- sh -c "$CHILD"
wait_for 5 test -s "$T/runs"
sleep 0.2
kill -TERM "$VPID"
wait_exit 5
check_rc term_cancels_pending_restart 3
check term_cancels_pending_restart_runs "ran $(runs) times" test "$(runs)" -eq 1

# State file, --restart no: the second start of the "container" is refused.
rm -f "$T/runs"
run pid1 --state-file "$T/state" -- sh -c "echo run >> $T/runs; exit 0"
check_rc state_first_run_runs 0
run pid1 --state-file "$T/state" --report "$T/r.json" -- sh -c "echo run >> $T/runs; exit 0"
check_rc state_second_run_refused 75
check state_refused_does_not_run "ran $(runs) times" test "$(runs)" -eq 1
check state_refused_reason "$(cat "$T/r.json")" grep -q '"reason":"restart_refused"' "$T/r.json"
check state_refused_one_line "$(cat "$T/err")" test "$(grep -c '^vigil:' "$T/err")" -eq 1

# State file, on-failure:2: restarts are counted across runs.
rm -f "$T/runs" "$T/state2"
run pid1 --state-file "$T/state2" --restart on-failure:2 --restart-delay 10ms -- sh -c "echo run >> $T/runs; exit 3"
check_rc state_counts_first_run 3
check state_counts_first_run_runs "ran $(runs) times" test "$(runs)" -eq 3
run pid1 --state-file "$T/state2" --restart on-failure:2 --report "$T/r.json" -- sh -c "echo run >> $T/runs; exit 3"
check_rc state_counts_across_runs 75
check state_limit_reason "$(cat "$T/r.json")" grep -q '"reason":"restart_limit"' "$T/r.json"
check state_limit_not_run "ran $(runs) times" test "$(runs)" -eq 3
# A stop request during the teardown before a restart cancels the restart.
rm -f "$T/runs"
start_pid1 --restart on-failure --restart-delay 200ms --grace 1s --report "$T/td.json" -- sh -c "echo run >> $T/runs; (trap '' TERM; exec sleep 30) & sleep 0.2; exit 1"
wait_for 5 test -s "$T/runs"
sleep 0.6
kill -TERM "$VPID"
wait_exit 8
check_rc term_during_teardown_status 1
check term_during_teardown_no_restart "ran $(runs) times" test "$(runs)" -eq 1
# ... and a restart that never happened is not counted.
check term_during_teardown_counts_no_restart "$(cat "$T/td.json" 2>/dev/null)" grep -q '"restarts":0' "$T/td.json"
summary
