# health: probes judge the service from inside the container. A failing
# probe leads to an `unhealthy` exit or to a counted restart, a hanging
# probe is killed at its timeout with its whole group, an HTTP probe talks
# to a real server, the health file is never seen half written, probes run
# as the dropped user, and `vigil health PATH` gives the verdict.
. "$(dirname "$0")/lib.sh"

[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"

HTTPD=$HELPERS/httpd
# has KEY VALUE FILE: FILE's JSON has "KEY":VALUE (VALUE as written in JSON).
has() { grep -q "\"$1\":$2" "$3" 2>/dev/null; }

# A probe that passes until $T/broken exists.
PROBE="test ! -e $T/broken"

# 1. --on-unhealthy stop: the tree goes down like for a stop request and
# vigil exits 69 with reason unhealthy, even though the child exits 0.
rm -f "$T/broken"
start_pid1 --report "$T/r1.json" --health-file "$T/h1.json" --health-cmd "$PROBE" \
	--health-interval 100ms --health-retries 2 --on-unhealthy stop \
	-- sh -c 'trap "exit 0" TERM; sleep 30 & wait'
if wait_for 5 has status '"healthy"' "$T/h1.json"; then
	ok health_file_turns_healthy
else
	fail health_file_turns_healthy "$(cat "$T/h1.json" 2>&1)"
fi
touch "$T/broken"
wait_exit 10
check_rc unhealthy_probe_stops_the_service_with_exit_69 69
check unhealthy_stop_reports_reason_unhealthy "$(cat "$T/r1.json")" \
	has reason '"unhealthy"' "$T/r1.json"
check unhealthy_report_has_the_health_history "$(cat "$T/r1.json")" \
	has health_status '"unhealthy"' "$T/r1.json"
check unhealthy_file_says_unhealthy "$(cat "$T/h1.json")" has status '"unhealthy"' "$T/h1.json"

# 2. --on-unhealthy restart: restarted under the restart policy, counted,
# and once on-failure:1 is used up the next unhealthy verdict ends it.
touch "$T/broken"
rm -f "$T/runs"
run pid1 --report "$T/r2.json" --health-cmd "$PROBE" --health-interval 100ms --health-retries 1 \
	--on-unhealthy restart --restart on-failure:1 --restart-delay 100ms \
	-- sh -c "echo run >>'$T/runs'; exec sleep 30"
check_rc unhealthy_restart_limit_ends_with_exit_69 69
check unhealthy_restart_ran_the_child_twice "runs: $(wc -l <"$T/runs" 2>&1)" \
	test "$(wc -l <"$T/runs")" -eq 2
check unhealthy_restart_is_counted "$(cat "$T/r2.json")" \
	sh -c "grep -q '\"restarts\":1,' '$T/r2.json' && grep -q '\"unhealthy_restarts\":1,' '$T/r2.json'"

# 3. A hanging probe is killed at its timeout with its group (the
# background sleep too) and reaped: no process of it is left.
MARK=$((RANDOM % 1000 + 7000))
start_pid1 --trace --health-cmd "sh -c 'sleep $MARK & sleep $MARK'" --health-interval 200ms \
	--health-timeout 300ms -- sleep 30
if wait_line 5 "$T/err" 'probe_result result=timeout'; then
	ok hanging_probe_times_out
else
	fail hanging_probe_times_out "$(tail -c 300 "$T/err")"
fi
probe_left() { pgrep -f "^sleep $MARK\$" >/dev/null; }
# Between two probes (a 200 ms gap) nothing of the killed one may remain:
# a leaked background sleep would be there all along.
if wait_for 5 eval '! probe_left'; then
	ok hanging_probe_leaves_no_process
else
	fail hanging_probe_leaves_no_process "$(pgrep -af "sleep $MARK")"
fi
kill -TERM "$VPID"
wait_exit 10
check no_probe_zombie_reported "$(grep -c 'reaped.*main=no.*signal=SIGKILL' "$T/err")" \
	grep -q 'reaped.*comm=sh main=no signal=SIGKILL' "$T/err"

# 4. HTTP probe against a server the test starts on 127.0.0.1: 2xx is
# healthy, a 503 makes it unhealthy; the request is plain HTTP/1.1.
rm -f "$T/port" "$T/code" "$T/hlog"
"$HTTPD" "$T/port" "$T/code" "$T/hlog" -t 60 &
BG_PIDS+=("$!")
if ! wait_line 5 "$T/port" '^[0-9]+$'; then
	fail http_server_started "no port"
else
	port=$(cat "$T/port")
	echo 204 >"$T/code"
	start_pid1 --health-file "$T/h4.json" --health-http "http://127.0.0.1:$port/healthz" \
		--health-interval 100ms --health-retries 1 -- sleep 30
	check http_probe_2xx_is_healthy "$(cat "$T/h4.json" 2>&1)" \
		wait_for 5 has status '"healthy"' "$T/h4.json"
	check http_probe_sends_a_plain_get "$(head -c 300 "$T/hlog")" \
		grep -q "^GET /healthz HTTP/1.1"$'\r'"\$" "$T/hlog"
	check http_probe_sends_the_host_header "$(head -c 300 "$T/hlog")" \
		grep -q "^Host: 127.0.0.1:$port"$'\r'"\$" "$T/hlog"
	"$VIGIL" health "$T/h4.json" >"$T/v4" 2>&1
	RC=$?
	check_rc vigil_health_exits_0_when_healthy 0
	echo 503 >"$T/code"
	check http_probe_503_is_unhealthy "$(cat "$T/h4.json" 2>&1)" \
		wait_for 5 has status '"unhealthy"' "$T/h4.json"
	"$VIGIL" health "$T/h4.json" >"$T/v4" 2>&1
	RC=$?
	check_rc vigil_health_exits_1_when_unhealthy 1
	check vigil_health_says_unhealthy_and_why "$(cat "$T/v4")" grep -q '^unhealthy: .*503' "$T/v4"
	kill -TERM "$VPID"
	wait_exit 10
fi

# 5. The health file is replaced, never rewritten in place: a reader
# racing the rename sees a whole file, old or new, every time.
start_pid1 --health-file "$T/h5.json" --health-cmd "sh -c 'seq 1 300'" --health-interval 10ms -- sleep 30
wait_file 5 "$T/h5.json"
torn=0
for i in $(seq 1 2000); do
	c=$(cat "$T/h5.json" 2>/dev/null) || continue
	case $c in
	'{"status":'*'"}') ;;
	'{"status":'*'null}') ;;
	*) torn=$((torn + 1)) ;;
	esac
done
check health_file_is_never_torn "$torn of 2000 reads saw a partial file" test "$torn" -eq 0
kill -TERM "$VPID"
wait_exit 10

# 6. A probe's output is its own: never mixed into the child's stdout.
run pid1 --health-file "$T/h6.json" --health-cmd "echo PROBE_SAID_THIS" --health-interval 100ms \
	-- sh -c 'sleep 0.5; echo child'
check probe_output_is_kept_in_the_health_file "$(cat "$T/h6.json")" \
	grep -q '"last_output":"PROBE_SAID_THIS\\n"' "$T/h6.json"
check probe_output_never_reaches_stdout "$(cat "$T/out")" test "$(cat "$T/out")" = child

# 7. Probes run as the dropped user.
if [ "$CAPNG" = 1 ]; then
	run pid1 --user nobody --health-file "$T/h7.json" --health-cmd "id -u" --health-interval 100ms \
		-- sleep 0.5
	check probe_runs_as_the_dropped_user "$(cat "$T/h7.json")" \
		grep -q '"last_output":"65534\\n"' "$T/h7.json"
fi

# 8. vigil health: missing, stale and bad usage; `vigil -- health` runs a
# command named health instead.
"$VIGIL" health "$T/nonexistent" >"$T/v8" 2>&1
RC=$?
check_rc vigil_health_missing_file_exits_1 1
check vigil_health_says_missing "$(cat "$T/v8")" grep -q '^missing: ' "$T/v8"
printf '{"status":"healthy","updated_unix":1000.0,"interval_ms":1000,"timeout_ms":1000}\n' >"$T/old.json"
"$VIGIL" health "$T/old.json" >"$T/v8" 2>&1
RC=$?
check_rc vigil_health_stale_file_exits_1 1
check vigil_health_says_stale "$(cat "$T/v8")" grep -q '^stale: ' "$T/v8"
"$VIGIL" health >"$T/v8" 2>&1
RC=$?
check_rc vigil_health_without_path_is_a_usage_error 64
mkdir -p "$T/bin"
printf '#!/bin/sh\necho ran-health-command\n' >"$T/bin/health"
chmod +x "$T/bin/health"
PATH="$T/bin:$PATH" run "$VIGIL" -- health "$T/h4.json"
check_rc double_dash_health_runs_a_command 0
check double_dash_health_runs_the_command_named_health "$(cat "$T/out")" grep -q ran-health-command "$T/out"

# 9. Bad probe settings are usage errors before anything runs.
run pid1 --health-http https://127.0.0.1/ -- touch "$T/ran9"
check_rc https_probe_is_a_usage_error 64
run pid1 --health-cmd true --on-unhealthy restart -- touch "$T/ran9"
check_rc unhealthy_restart_without_restart_policy_is_a_usage_error 64
run pid1 --health-interval 1s -- touch "$T/ran9"
check_rc health_settings_without_probe_are_a_usage_error 64
check bad_probe_settings_run_nothing "the command ran" test ! -e "$T/ran9"

# 10. A probe command that cannot be executed is a failed probe that says
# why (vigil learns it when it reaps the probe, not by waiting for the
# exec), with no exit code: not the 127 of a command that ran.
run pid1 --health-file "$T/h10.json" --health-cmd no-such-probe-command \
	--health-interval 100ms --health-retries 1 -- sleep 1
check probe_that_cannot_exec_says_why "$(cat "$T/h10.json" 2>&1)" \
	grep -q '"last_exit_code":null,"last_error":"no-such-probe-command: No such file or directory"' "$T/h10.json"
check probe_that_cannot_exec_makes_it_unhealthy "$(cat "$T/h10.json" 2>&1)" has status '"unhealthy"' "$T/h10.json"

summary
