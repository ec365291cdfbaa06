# wait_for: --wait-for holds the command back until its dependencies are
# up, gives up at --wait-timeout with exit 68 and without running it, and
# a stop request during the wait ends vigil at once.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"

NETSERVE=$HELPERS/netserve
RAN="echo ran >\"$T/ran\""

# serve NAME ARGS...: start netserve in the background, its port (or
# "ready") in $PORT once it listens.
serve() {
	local name=$1
	shift
	rm -f "$T/$name.ready"
	"$NETSERVE" -r "$T/$name.ready" -x 60 "$@" &
	BG_PIDS+=("$!")
	SERVER=$!
	wait_file 5 "$T/$name.ready" || return 1
	read -r PORT <"$T/$name.ready"
}

not_run() { [ ! -e "$T/ran" ]; }

# Something listens already: the command runs at once.
serve tcp -t 0
rm -f "$T/ran"
run pid1 --wait-for "tcp:127.0.0.1:$PORT" -- sh -c "$RAN"
check_rc wait_for_tcp_listening_runs_the_command 0
check wait_for_tcp_command_ran "no $T/ran" test -e "$T/ran"
# localhost resolves through /etc/hosts; its ::1, if first, is refused
# (the helper listens on 127.0.0.1 only) and the next address is tried.
rm -f "$T/ran"
run pid1 --wait-for "tcp:localhost:$PORT" -- sh -c "$RAN"
check_rc wait_for_tcp_host_name_resolves 0
kill "$SERVER"

# The dependency appears later: the command waits for it, then runs.
rm -f "$T/ran" "$T/sock"
start_pid1 --wait-for "unix:$T/sock" --wait-for "file:$T/flag" -- sh -c "$RAN"
sleep 0.5
check wait_for_command_waits_while_missing "the command ran before its dependencies" not_run
serve unix -u "$T/sock"
sleep 0.3
check wait_for_command_waits_for_every_dependency "ran with file:$T/flag missing" not_run
touch "$T/flag"
wait_exit 10
check_rc wait_for_unix_and_file_appearing_later_run_the_command 0
check wait_for_late_command_ran "no $T/ran" test -e "$T/ran"
kill "$SERVER"

# HTTP: a 2xx answer holds, with a plain GET of the path.
serve http -t 0 -H 204 -a "$T/http.log"
rm -f "$T/ran"
run pid1 --wait-for "http://127.0.0.1:$PORT/health?x=1" -- sh -c "$RAN"
check_rc wait_for_http_2xx_runs_the_command 0
check wait_for_http_request_line "log: $(cat "$T/http.log" 2>/dev/null)" \
	grep -qx "GET /health?x=1 HTTP/1.1" "$T/http.log"
# A URL as RFC 3986 reads it: the scheme in any case, the query right
# after the host, the fragment never sent.
rm -f "$T/ran"
run pid1 --wait-for "HTTP://127.0.0.1:$PORT?q=2#top" -- sh -c "$RAN"
check_rc wait_for_http_upper_case_scheme_and_bare_query_run_the_command 0
check wait_for_http_query_without_path_and_no_fragment_sent "log: $(cat "$T/http.log" 2>/dev/null)" \
	grep -qx "GET /?q=2 HTTP/1.1" "$T/http.log"
kill "$SERVER"
serve http503 -t 0 -H 503
rm -f "$T/ran"
run pid1 --wait-for "http://127.0.0.1:$PORT/" --wait-timeout 1s -- sh -c "$RAN"
check_rc wait_for_http_503_times_out 68
check wait_for_http_503_names_status "$(cat "$T/err")" grep -q "status 503" "$T/err"
check wait_for_http_503_not_run "the command ran" not_run
kill "$SERVER"

# Timeout: exit 68, the command never runs, the line names the spec and
# its last error, the report says dependency_timeout.
rm -f "$T/ran"
run pid1 --report "$T/r.json" --wait-for "file:$T" --wait-for tcp:127.0.0.1:1 --wait-timeout 1s -- sh -c "$RAN"
check_rc wait_for_timeout_exits_68 68
check wait_for_timeout_does_not_run_the_command "the command ran" not_run
check wait_for_timeout_line_names_spec_and_error "$(cat "$T/err")" \
	grep -q "^vigil: --wait-for tcp:127.0.0.1:1: not ready after 1s: .*Connection refused" "$T/err"
check wait_for_timeout_report_reason "$(cat "$T/r.json")" grep -q '"reason":"dependency_timeout"' "$T/r.json"
check wait_for_timeout_report_error "$(cat "$T/r.json")" grep -q '"error":"--wait-for tcp:127.0.0.1:1: not ready' "$T/r.json"

# A check that hangs (a server that never answers) is cut at the deadline.
serve silent -t 0 -S
rm -f "$T/ran"
run pid1 --wait-for "http://127.0.0.1:$PORT/" --wait-timeout 500ms -- sh -c "$RAN"
check_rc wait_for_hanging_check_times_out 68
check wait_for_hanging_check_says_no_answer "$(cat "$T/err")" grep -q "no answer yet" "$T/err"

# A stop request during the wait ends vigil at once: 143 for TERM, 130 for
# INT, and the command never runs.
for sig in TERM:143 INT:130; do
	rm -f "$T/ran"
	start_pid1 --report "$T/r.json" --wait-for "file:$T/never" -- sh -c "$RAN"
	sleep 0.3
	kill -"${sig%%:*}" "$VPID"
	wait_exit 5
	check_rc "wait_for_${sig%%:*}_during_wait_exits_${sig#*:}" "${sig#*:}"
	check "wait_for_${sig%%:*}_during_wait_does_not_run" "the command ran" not_run
	check "wait_for_${sig%%:*}_during_wait_reason_stopped" "$(cat "$T/r.json")" grep -q '"reason":"stopped"' "$T/r.json"
done

# At an interactive prompt no program runs yet during the wait: a Ctrl-C
# typed at the terminal is for vigil, and stops it (130).
PTYRUN=$HELPERS/ptyrun
rm -f "$T/ran"
timeout -k 2 30 "$PTYRUN" -p 500 -s '\003' -x -- "$VIGIL" -q --wait-for "file:$T/never" \
	--wait-timeout 3s -- sh -c "$RAN" >"$T/pty" 2>&1 </dev/null
check wait_for_ctrl_c_at_the_terminal_stops_the_wait "$(tr '\n' '|' <"$T/pty")" grep -q '^exit 130$' "$T/pty"
check wait_for_ctrl_c_does_not_run "the command ran" not_run

# Signals stay readable while a check hangs: vigil (not PID 1 here) stops
# at once and leaves no checker process behind.
start_plain --wait-for "http://127.0.0.1:$PORT/" -- sh -c "$RAN"
if wait_for 5 has_children "$VPID"; then
	CHECKER=$(children "$VPID")
	CHECKER=${CHECKER%% *}
	kill -TERM "$VPID"
	wait_exit 5
	check_rc wait_for_term_during_hanging_check_exits_143 143
	check wait_for_term_leaves_no_checker "checker $CHECKER still there" wait_for 2 reaped "$CHECKER"
else
	fail wait_for_checker_started "no checker process under vigil"
	kill -TERM "$VPID"
	wait_exit 5
fi
kill "$SERVER"

# A bad spec is a usage error before anything runs.
for spec in tcp:host tcp:host:0 tcp:host:65536 "tcp:::1:80" https://x/ ftp:x unix: "http://h/a b"; do
	rm -f "$T/ran"
	run pid1 --wait-for "$spec" -- sh -c "$RAN"
	check_rc "wait_for_bad_spec_${spec//[^a-z0-9]/_}_is_usage_error" 64
	check "wait_for_bad_spec_${spec//[^a-z0-9]/_}_not_run" "the command ran" not_run
done

# --health-tcp and --wait-for tcp: read HOST:PORT alike and refuse it
# with the same reason, each naming its own flag.
for hp in "h~x:80" "user@db:80" "[db]:80" "db:0"; do
	name=${hp//[^a-z0-9]/_}
	run pid1 --health-tcp "$hp" -- sh -c "$RAN"
	check_rc "health_tcp_${name}_is_usage_error" 64
	why=$(sed -n "s/^vigil: invalid --health-tcp '.*': //p" "$T/err")
	run pid1 --wait-for "tcp:$hp" -- sh -c "$RAN"
	check_rc "wait_for_tcp_${name}_is_usage_error" 64
	check "health_tcp_and_wait_for_give_one_reason_for_${name}" "$(cat "$T/err") vs '$why'" \
		grep -qxF "vigil: invalid --wait-for 'tcp:$hp': $why" "$T/err"
	check "health_tcp_and_wait_for_reason_not_empty_for_${name}" "no reason" test -n "$why"
done
summary
