# trace: --trace logs every signal received (with sender), forwarded (to
# whom) and every reap (pid, comm, status), as text or JSON lines.
. "$(dirname "$0")/lib.sh"

run pid1 --trace --log-format json -- sh -c 'trap "" USR1; sh -c "sleep 0.1 &"; kill -USR1 1; sleep 0.3; exit 0'
check_rc trace_status 0
check json_signal_received "$(cat "$T/err")" grep -Eq '^\{"ts":[0-9.]+,"event":"signal_received","signal":"SIGUSR1","sender_pid":[1-9]' "$T/err"
check json_signal_forwarded "$(cat "$T/err")" grep -q '"event":"signal_forwarded","signal":"SIGUSR1","to":2' "$T/err"
check json_reaped_orphan_with_comm "$(cat "$T/err")" grep -q '"event":"reaped".*"comm":"sleep","main":"no"' "$T/err"
check json_reaped_main "$(cat "$T/err")" grep -q '"event":"reaped","pid":2,.*"main":"yes","exit_code":0' "$T/err"
bad=$(grep -vc '^{.*}$' "$T/err")
check json_lines_only "$bad non-JSON lines: $(grep -v '^{.*}$' "$T/err" | head -3)" test "$bad" -eq 0

# With --log-format json every line vigil writes is one JSON object, the
# warnings and errors too: {"ts":N,"level":"...","msg":"..."[,"error":"..."]}.
JSTR='"([^"\\]|\\.)*"'
LOGLINE="^\\{\"ts\":[0-9.]+,\"level\":\"(error|warn|info|debug)\",\"msg\":$JSTR(,\"error\":$JSTR)?\\}\$"
TRACELINE='^\{"ts":[0-9.]+,"event":.*\}$'
# json_only NAME WANT-ERE: $T/err has a line matching WANT-ERE and only
# log lines or trace lines of the shapes above.
json_only() {
	local bad
	bad=$(grep -Ev "$LOGLINE" "$T/err" | grep -Evc "$TRACELINE")
	if ! grep -Eq -- "$2" "$T/err"; then
		fail "$1" "no line matching /$2/ in: $(head -c 300 "$T/err" | tr '\n' '|')"
	elif [ "$bad" -ne 0 ]; then
		fail "$1" "$bad line(s) not JSON: $(grep -Ev "$LOGLINE" "$T/err" | grep -Ev "$TRACELINE" | head -3 | tr '\n' '|')"
	else
		ok "$1"
	fi
}
run "$VIGIL" --log-format json -- true
json_only json_subreaper_warning '"level":"warn","msg":"not running as PID 1'
run pid1 --log-format json -- "$T/no-such-command"
json_only json_exec_error '"level":"error","msg":"exec .*no-such-command","error":"No such file or directory"'
run pid1 --log-format json -w --trace -- sh -c 'sh -c "sleep 0.1 &"; sleep 0.3'
json_only json_warn_reap_with_trace '"level":"warn","msg":"reaped zombie process [0-9]+ \(sleep\)"'
run "$VIGIL" --log-format json --no-such-flag -- true
check_rc json_usage_error_status 64
json_only json_usage_error '"level":"error","msg":"unknown option'
run "$VIGIL" --no-such-flag --log-format json -- true
json_only json_usage_error_before_the_format_flag '"level":"error","msg":"unknown option'
run "$VIGIL" --log-format json -p 'ST"OP' -- true
json_only json_usage_error_quotes_are_escaped '"msg":"invalid parent-death signal .ST\\"OP.'
run "$VIGIL" --log-format json -p STOP -- true
json_only json_pdeath_refusal '"level":"error","msg":"parent-death signal .STOP.: signal 19 is not one vigil forwards"'
if [ "$SUPERVISOR" = 1 ]; then
	TMPDIR=$T/no-such-tmp run pid1 --log-format json --preflight warn -- true
	json_only json_preflight_warning '"level":"warn","msg":".*no-such-tmp.*continuing: --preflight warn'
fi

run pid1 -vv -- sh -c 'trap "" HUP; kill -HUP 1; sleep 0.2; exit 0'
check vv_enables_text_trace "$(cat "$T/err")" grep -Eq '^vigil: \[[0-9.]+\] signal_received signal=SIGHUP' "$T/err"

run pid1 -- sh -c 'trap "" HUP; kill -HUP 1; sleep 0.2; exit 0'
check no_trace_by_default "$(cat "$T/err")" test ! -s "$T/err"
summary
