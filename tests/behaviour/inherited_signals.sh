# inherited_signals: what the child gets of the signal state vigil was
# started with. Native and dumb-init modes: a clean state (no signal
# ignored, empty mask), the same in the glibc and musl builds, libc-reserved
# 32-34 included. tini mode: the ignored signals and the mask vigil
# inherited, as tini (`nohup tini -- cmd` keeps SIGHUP ignored in cmd). In
# every mode vigil itself still gets and forwards those signals.
. "$(dirname "$0")/lib.sh"

SIGSTATE=$HELPERS/sigstate
SIGRECV=$HELPERS/sigrecv
[ -x "$SIGSTATE" ] || { fail sigstate_helper_present "$SIGSTATE missing"; summary; }

ln -s "$VIGIL_REAL" "$T/tini"
ln -s "$VIGIL_REAL" "$T/dumb-init"

# Ignored: HUP TERM 32 33 34 40; blocked: USR1 USR2 33 34 (bit N-1 each).
IGN=1,15,32,33,34,40
BLK=10,12,33,34
IGN_MASK=0000008380004001
BLK_MASK=0000000300000a00

# child_state BIN ARGS...: run BIN (not PID 1) under that inherited state
# with grep reading the child's own SigIgn and SigBlk; sets IGN_GOT, BLK_GOT.
child_state() {
	local bin=$1
	shift
	timeout -k 2 20 "$SIGSTATE" -i "$IGN" -b "$BLK" -- "$bin" "$@" \
		grep -E '^Sig(Ign|Blk)' /proc/self/status >"$T/out" 2>"$T/err" </dev/null
	RC=$?
	san_check
	IGN_GOT=$(awk '/^SigIgn/ {print $2}' "$T/out")
	BLK_GOT=$(awk '/^SigBlk/ {print $2}' "$T/out")
}

child_state "$VIGIL" --
check native_child_has_no_ignored_signal "SigIgn $IGN_GOT (rc $RC, $(head -c 200 "$T/err"))" \
	test "$IGN_GOT" = 0000000000000000
check native_child_has_an_empty_mask "SigBlk $BLK_GOT" test "$BLK_GOT" = 0000000000000000

child_state "$T/dumb-init" -c
check dumb_init_child_has_no_ignored_signal "SigIgn $IGN_GOT (rc $RC, $(head -c 200 "$T/err"))" \
	test "$IGN_GOT" = 0000000000000000
check dumb_init_child_has_an_empty_mask "SigBlk $BLK_GOT" test "$BLK_GOT" = 0000000000000000

child_state "$T/tini" --
check tini_child_keeps_the_inherited_ignored_signals "SigIgn $IGN_GOT, want $IGN_MASK (rc $RC, $(head -c 200 "$T/err"))" \
	test "$IGN_GOT" = "$IGN_MASK"
check tini_child_keeps_the_inherited_mask "SigBlk $BLK_GOT, want $BLK_MASK" \
	test "$BLK_GOT" = "$BLK_MASK"

# nohup: only SIGHUP ignored, nothing blocked.
timeout -k 2 20 nohup "$T/tini" -- grep -E '^SigIgn' /proc/self/status >"$T/out" 2>/dev/null </dev/null
check nohup_tini_keeps_sighup_ignored "$(cat "$T/out")" \
	grep -Eq '^SigIgn:[[:space:]]+0*1$' "$T/out"

# forwarded_despite NAME BIN: vigil started with those signals ignored and
# blocked still takes and forwards them, and ignores none of them itself
# (it leaves the libc-reserved 32 and 33 alone).
forwarded_despite() {
	local name=$1 bin=$2 cpid n=0 s
	rm -f "$T/got" "$T/ready"
	"$SIGSTATE" -i "$IGN" -b "$BLK" -- "$bin" -- "$SIGRECV" -o "$T/got" -r "$T/ready" -x USR2 -E 3 \
		>/dev/null 2>"$T/err" </dev/null &
	UPID=$!
	VPID=$UPID
	BG_PIDS+=("$UPID")
	if ! wait_file 5 "$T/ready"; then
		fail "$name" "the child never got ready"
		return
	fi
	cpid=$(cat "$T/ready")
	BG_PIDS+=("$cpid")
	s=$(status_field "$VPID" SigIgn)
	check "${name}_vigil_ignores_no_signal_it_forwards" "vigil's SigIgn $s" \
		test $(( 16#$s & ~16#180000000 )) -eq 0
	for s in HUP TERM RTMIN USR1; do
		n=$((n + 1))
		kill -s "$s" "$VPID"
		if wait_for 3 lines_at_least "$T/got" "$n"; then
			check "${name}_forwards_inherited_sig${s,,}" "child got $(sed -n "${n}p" "$T/got")" \
				test "$(sed -n "${n}p" "$T/got" | cut -d' ' -f1)" = "$(kill -l "$s")"
		else
			fail "${name}_forwards_inherited_sig${s,,}" "child got nothing"
			n=$(wc -l <"$T/got")
		fi
	done
	kill -s USR2 "$VPID"
	wait_exit 5
	check_rc "${name}_exit_status" 3
}
forwarded_despite native "$VIGIL"
forwarded_despite tini "$T/tini"

summary
