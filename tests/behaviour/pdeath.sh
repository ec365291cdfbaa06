# pdeath: -p SIG makes vigil act on SIG when its parent dies (forwarding it
# to the child), also when the parent died before vigil could arm it: a
# delay injected with strace holds vigil after it started and before
# prctl while its parent exits, so the race is hit every time.
. "$(dirname "$0")/lib.sh"

has_signalfd() { ls -l "/proc/$1/fd" 2>/dev/null | grep -q signalfd; }

# parent_dies_case NAME PREFIX...: a subshell starts PREFIX vigil -p USR1
# --trace -- sleep, waits until vigil has its signalfd (it recorded its
# parent long before), and exits. vigil must then forward USR1 (which
# ends sleep, and so vigil) instead of waiting for ever. The trace tells
# (the exit status is not ours to see: vigil is re-parented).
parent_dies_case() {
	local name=$1 vpid
	shift
	rm -f "$T/vpid"
	(
		"$@" "$VIGIL" -q --trace -p USR1 -- sleep 100 >"$T/out" 2>"$T/err" </dev/null &
		echo $! >"$T/vpid"
		wait_for 10 has_signalfd $!
	)
	vpid=$(cat "$T/vpid")
	BG_PIDS+=("$vpid")
	if wait_for 15 gone "$vpid" && grep -q 'signal_forwarded signal=SIGUSR1' "$T/err"; then
		ok "$name"
	else
		fail "$name" "no USR1 forwarded after the parent died (vigil state $(proc_state "$vpid"); trace: $(tr '\n' '|' <"$T/err"))"
	fi
	kill -KILL "$vpid" 2>/dev/null
}

parent_dies_case parent_death_signal_reaches_the_child env

if command -v strace >/dev/null 2>&1; then
	# delay_exit: signalfd4 is done, so the subshell sees the signalfd
	# and exits while vigil is held 3 s before it reaches prctl.
	parent_dies_case parent_dead_before_prctl_still_reaches_the_child \
		strace -D -qq -o /dev/null -e trace=signalfd4 -e inject=signalfd4:delay_exit=3000000
else
	echo "# skip parent_dead_before_prctl_still_reaches_the_child: no strace"
fi

summary
