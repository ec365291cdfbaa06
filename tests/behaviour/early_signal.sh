# early_signal: a signal that reaches vigil as soon as it has taken over
# signals -- before it has started its child, or while the child is still
# being set up -- is kept and forwarded once the child runs: the child
# (sleep 4, default USR1 disposition) dies of it and vigil exits 138.
# A PATH of thousands of missing directories makes the child's execvp take
# milliseconds, so most signals land while the child exists but has not
# exec'd yet; a few land before vigil has forked at all.
#
# Why not earlier: before vigil blocks signals, a PID-namespace init has
# the default disposition, and the kernel discards signals to such an init
# (only SIGKILL/SIGSTOP from an ancestor namespace get through), so such a
# signal is lost by design of the kernel, not by vigil. The test therefore
# waits, polling as fast as bash can, until vigil's SigBlk shows USR1, and
# fires right then.
. "$(dirname "$0")/lib.sh"

RUNS=${EARLY_RUNS:-30}
USR1_BIT=$(( 1 << (10 - 1) ))
UNSHARE=$(command -v unshare)
SLOWPATH=
for i in $(seq 3000); do SLOWPATH="$SLOWPATH/nonexistent/vigil-test-$i:"; done
SLOWPATH="$SLOWPATH/usr/bin:/bin"

# early_run [VIGIL OPTIONS...]: one run; sets RC and WHEN: what vigil's
# child was when the signal was sent (none, forked, running).
early_run() {
	local c= comm= k v blk= kids= kcomm= deadline
	pid1_cmd
	PID1[0]=$UNSHARE
	PATH=$SLOWPATH "${PID1[@]}" "$@" -- sleep 4 >"$T/out" 2>"$T/err" </dev/null &
	UPID=$!
	BG_PIDS+=("$UPID")
	deadline=$(( $(now_ms) + 5000 ))
	# Builtins only in this loop: it must be fast.
	while [ "$(now_ms)" -lt "$deadline" ]; do
		if [ -z "$c" ]; then
			c=; read -r c _ 2>/dev/null <"/proc/$UPID/task/$UPID/children"
			continue
		fi
		read -r comm 2>/dev/null <"/proc/$c/comm" || comm=
		case $comm in vigil|tini|dumb-init) ;; *) continue ;; esac
		kids=; read -r kids _ 2>/dev/null <"/proc/$c/task/$c/children"
		blk=
		while IFS=$': \t' read -r k v; do
			[ "$k" = SigBlk ] && { blk=$v; break; }
		done 2>/dev/null <"/proc/$c/status"
		[ -n "$blk" ] && [ $(( 16#$blk & USR1_BIT )) -ne 0 ] && break
		# A child exists but vigil does not block signals yet: a signal
		# now would be lost (the kernel discards it).
		[ -n "$kids" ] && [ -n "$blk" ] && LATE_BLOCK=$((LATE_BLOCK + 1))
	done
	kids=; read -r kids _ 2>/dev/null <"/proc/$c/task/$c/children"
	[ -n "$kids" ] && read -r kcomm 2>/dev/null <"/proc/$kids/comm"
	kill -USR1 "$c" 2>/dev/null
	if [ -z "$kids" ]; then WHEN=none
	elif [ "$kcomm" = "$comm" ]; then WHEN=forked
	else WHEN=running
	fi
	wait_exit 8
}

# early_case NAME [VIGIL OPTIONS...]: RUNS runs, every one must end with 138.
early_case() {
	local name=$1 bad= i t0 none=0 forked=0 running=0
	shift
	t0=$(now_ms)
	LATE_BLOCK=0
	for i in $(seq "$RUNS"); do
		early_run "$@"
		if [ "$RC" != 138 ]; then
			bad="$bad run$i:$RC"
			break   # one lost signal is enough; do not wait out every run
		fi
		eval "$WHEN=\$(($WHEN + 1))"
	done
	echo "# $name: $RUNS runs in $(( $(now_ms) - t0 )) ms; signal sent with no child yet: $none," \
		"child forked but not exec'd: $forked, child running: $running"
	check "$name" "statuses other than 138:$bad" test -z "$bad"
	check "${name}_signals_blocked_before_child_starts" \
		"seen $LATE_BLOCK times: a child of vigil while vigil did not block USR1" test "$LATE_BLOCK" -eq 0
}

early_case early_usr1_reaches_the_child
early_case early_usr1_reaches_the_child_group_with_g -g
ln -s "$VIGIL_REAL" "$T/dumb-init"
VBIN=$T/dumb-init early_case early_usr1_reaches_the_child_session_in_dumb_init_mode

summary
