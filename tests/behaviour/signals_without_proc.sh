# signals_without_proc: vigil learns which signals it was started with
# ignored from /proc/self/status; without /proc (a bare image, /proc not
# mounted yet) it asks signal by signal instead, and the child still gets a
# clean state (native) or the inherited one (tini mode). The child reads its
# own state from a second proc mount vigil does not know about.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root (mount namespace)"
# The sanitizers' runtime reads /proc itself and dies without it.
if nm "$VIGIL_REAL" 2>/dev/null | grep -q '__asan_init\|__ubsan_handle'; then
	skip_all "a sanitized vigil needs /proc for its own runtime"
fi

SIGSTATE=$HELPERS/sigstate
[ -x "$SIGSTATE" ] || { fail sigstate_helper_present "$SIGSTATE missing"; summary; }
ln -s "$VIGIL_REAL" "$T/tini"
mkdir -p "$T/p2"

# Ignored: HUP TERM 34 40 (bit N-1 each).
IGN=1,15,34,40
IGN_MASK=0000008200004001

# without_proc BIN ARGS...: BIN started with IGN ignored in a mount
# namespace whose /proc is an empty tmpfs; sets IGN_GOT from the child.
without_proc() {
	timeout -k 2 20 unshare --mount --propagation private sh -c '
		mount -t proc proc "$1" && mount -t tmpfs none /proc || exit 99
		shift
		exec "$@"' sh "$T/p2" "$SIGSTATE" -i "$IGN" -- "$@" \
		sh -c "grep -E '^SigIgn' $T/p2/self/status" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
	san_check
	IGN_GOT=$(awk '/^SigIgn/ {print $2}' "$T/out")
}

without_proc "$VIGIL" -q --
check native_child_has_no_ignored_signal_without_proc \
	"SigIgn '$IGN_GOT' (rc $RC, $(head -c 200 "$T/err"))" test "$IGN_GOT" = 0000000000000000

without_proc "$T/tini" -s --
check tini_child_keeps_the_ignored_signals_without_proc \
	"SigIgn '$IGN_GOT', want $IGN_MASK (rc $RC, $(head -c 200 "$T/err"))" test "$IGN_GOT" = "$IGN_MASK"

summary
