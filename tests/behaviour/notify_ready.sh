# notify_ready: --notify-ready tells the runtime over $NOTIFY_SOCKET
# (sd_notify datagrams) that the service is up once the command runs, and
# that it is stopping when the stop begins; the child does not get
# NOTIFY_SOCKET.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"

NOTIFYRECV=$HELPERS/notifyrecv

# listen ADDR: a datagram socket at ADDR whose messages go to $T/msgs.
listen() {
	rm -f "$T/msgs" "$T/listening"
	"$NOTIFYRECV" -s "$1" -o "$T/msgs" -r "$T/listening" -x 60 &
	BG_PIDS+=("$!")
	RECV=$!
	wait_file 5 "$T/listening"
}

lacks() { ! grep -q "$1" "$2"; }

CHILD_ENV="echo \"\${NOTIFY_SOCKET-unset}\" >\"$T/env\"; exec sleep 100"

# A path socket: READY=1 with a STATUS once the command runs, STOPPING=1
# when vigil is asked to stop.
listen "$T/notify.sock"
rm -f "$T/env"
NOTIFY_SOCKET="$T/notify.sock" start_pid1 --notify-ready -- sh -c "$CHILD_ENV"
check notify_ready_sent_once_running "msgs: $(cat "$T/msgs" 2>/dev/null)" \
	wait_line 5 "$T/msgs" '^READY=1\|STATUS=running sh$'
check notify_socket_not_in_child_env "child saw: $(cat "$T/env" 2>/dev/null)" \
	wait_line 5 "$T/env" '^unset$'
check notify_no_stopping_before_stop "msgs: $(cat "$T/msgs")" lacks STOPPING "$T/msgs"
kill -TERM "$VPID"
wait_exit 10
check_rc notify_term_still_exits_143 143
check notify_stopping_sent_on_stop "msgs: $(cat "$T/msgs" 2>/dev/null)" \
	wait_line 5 "$T/msgs" '^STOPPING=1'
check notify_each_message_once "msgs: $(tr '\n' ' ' <"$T/msgs")" test "$(wc -l <"$T/msgs")" -eq 2
kill "$RECV"

# An abstract socket ("@name").
listen "@vigil-test-$$"
NOTIFY_SOCKET="@vigil-test-$$" run pid1 --notify-ready -- true
check_rc notify_abstract_runs 0
check notify_abstract_ready "msgs: $(cat "$T/msgs" 2>/dev/null)" wait_line 5 "$T/msgs" '^READY=1'
check notify_abstract_stopping_when_child_ends "msgs: $(cat "$T/msgs" 2>/dev/null)" \
	wait_line 5 "$T/msgs" '^STOPPING=1'
kill "$RECV"

# READY waits for the command: nothing while --wait-for holds it back.
listen "$T/notify2.sock"
NOTIFY_SOCKET="$T/notify2.sock" start_pid1 --notify-ready --wait-for "file:$T/go" -- sleep 100
sleep 0.5
check notify_no_ready_while_waiting "msgs: $(cat "$T/msgs" 2>/dev/null)" test ! -s "$T/msgs"
touch "$T/go"
check notify_ready_after_wait "msgs: $(cat "$T/msgs" 2>/dev/null)" wait_line 5 "$T/msgs" '^READY=1'
kill -TERM "$VPID"
wait_exit 10
kill "$RECV"

# A restart is no new readiness: READY=1 goes out once per vigil.
listen "$T/notify3.sock"
NOTIFY_SOCKET="$T/notify3.sock" run pid1 --notify-ready --restart on-failure:2 --restart-delay 50ms -- false
check_rc notify_restarts_exit_status 1
check notify_ready_once_across_restarts "msgs: $(tr '\n' ' ' <"$T/msgs" 2>/dev/null)" \
	test "$(grep -c READY=1 "$T/msgs")" -eq 1
kill "$RECV"

# Without --notify-ready the child keeps NOTIFY_SOCKET, as before.
rm -f "$T/env"
NOTIFY_SOCKET="$T/notify.sock" run pid1 --supervise -- sh -c "echo \"\${NOTIFY_SOCKET-unset}\" >\"$T/env\""
check notify_socket_kept_without_flag "child saw: $(cat "$T/env" 2>/dev/null)" grep -qx "$T/notify.sock" "$T/env"

# Nobody listening, or no NOTIFY_SOCKET: one warning, the command runs.
rm -f "$T/nobody.sock"
NOTIFY_SOCKET="$T/nobody.sock" run pid1 --notify-ready -- sh -c 'exit 3'
check_rc notify_unreachable_socket_is_not_fatal 3
check notify_unreachable_socket_warns "$(cat "$T/err")" grep -q "send READY=1 to NOTIFY_SOCKET" "$T/err"
run pid1 --notify-ready -- sh -c 'exit 4'
check_rc notify_without_socket_is_not_fatal 4
check notify_without_socket_warns "$(cat "$T/err")" grep -q "NOTIFY_SOCKET is not set" "$T/err"
NOTIFY_SOCKET=relative.sock run pid1 --notify-ready -- true
check_rc notify_bad_address_is_not_fatal 0
check notify_bad_address_warns "$(cat "$T/err")" grep -q "no usable socket address" "$T/err"
summary
