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

run pid1 -vv -- sh -c 'trap "" HUP; kill -HUP 1; sleep 0.2; exit 0'
check vv_enables_text_trace "$(cat "$T/err")" grep -Eq '^vigil: \[[0-9.]+\] signal_received signal=SIGHUP' "$T/err"

run pid1 -- sh -c 'trap "" HUP; kill -HUP 1; sleep 0.2; exit 0'
check no_trace_by_default "$(cat "$T/err")" test ! -s "$T/err"
summary
