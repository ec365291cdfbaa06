# term_delay: a received SIGTERM is held for --term-delay before it is
# forwarded; a second SIGTERM or a SIGINT forwards at once.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"
R=$HELPERS/sigrecv

delay_case() {
	local name=$1 min=$2 max=$3 second=$4
	rm -f "$T/ready" "$T/sigs"
	start_pid1 --term-delay 1s --grace 5s -- "$R" -o "$T/sigs" -r "$T/ready" -x TERM
	wait_file 5 "$T/ready" || { fail "$name" "child not ready"; return; }
	local t0 dt
	t0=$(now_ms)
	kill -TERM "$VPID"
	if [ -n "$second" ]; then
		sleep 0.1
		kill "-$second" "$VPID"
	fi
	wait_line 5 "$T/sigs" '^15 ' || { fail "$name" "TERM never arrived"; wait_exit 5; return; }
	dt=$(( $(now_ms) - t0 ))
	wait_exit 5
	if [ "$dt" -ge "$min" ] && [ "$dt" -le "$max" ]; then
		ok "$name (${dt} ms)"
	else
		fail "$name" "TERM arrived after ${dt} ms, want ${min}-${max}"
	fi
}

delay_case term_is_held_for_the_delay 900 2500 ""
delay_case second_term_forwards_at_once 0 700 TERM
delay_case int_during_delay_forwards_at_once 0 700 INT
check int_during_delay_not_lost "signals: $(cat "$T/sigs" | tr '\n' ' ')" grep -q '^15 ' "$T/sigs"
summary
