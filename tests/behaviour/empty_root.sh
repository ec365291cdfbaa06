# empty_root: a static vigil needs nothing from the image but itself (a
# `FROM scratch` image): as PID 1 in a root holding only /vigil, static test
# helpers, /etc/passwd, /etc/group and an empty /tmp, it runs and signals the
# command, and in supervisor mode resolves --user names from those two files
# (no NSS, no libc user database), drops privileges, loads its seccomp filter
# and writes its report.
. "$(dirname "$0")/lib.sh"
: "${CAPNG:=0}" "${SECCOMP:=0}"
[ "$(id -u)" = 0 ] || skip_all "needs root (chroot)"
is_static() { ! readelf -l "$1" 2>/dev/null | grep -q INTERP; }
# Selected for -Dstatic=true builds only: there a dynamic vigil is a bug.
if ! is_static "$VIGIL_REAL"; then
	fail vigil_is_static "$VIGIL_REAL has a program interpreter"
	summary
fi
ok vigil_is_static

R=$T/root
mkdir -p "$R/etc" "$R/tmp" "$R/proc" "$R/out"
chmod 1777 "$R/tmp"
cp "$VIGIL_REAL" "$R/vigil"
for h in sigwait sysprobe; do
	if [ -x "$HELPERS/$h" ] && is_static "$HELPERS/$h"; then
		cp "$HELPERS/$h" "$R/$h"
	fi
done
printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1000:1000:app:/home/app:/sbin/nologin\n' >"$R/etc/passwd"
printf 'root:x:0:\napp:x:1000:\nextra:x:2000:app\n' >"$R/etc/group"

# The runtime's part: a PID namespace, /proc, and the root.
ROOT_CMD=(unshare --pid --fork --mount-proc="$R/proc" --kill-child chroot "$R" /vigil)
in_root() { run "${ROOT_CMD[@]}" "$@"; }

check only_vigil_and_data_in_root "$(cd "$R" && find . -type f | tr '\n' ' ')" \
	test -z "$(cd "$R" && find . -type f ! -name vigil ! -name sigwait ! -name sysprobe ! -path './etc/*')"

in_root --version
check_rc version_runs 0
in_root -- /vigil -q -- /no/such/command
check_rc exec_failure_status_passes_through 127
check exec_failure_reported_by_inner_vigil "$(cat "$T/err")" grep -q '^vigil: .*/no/such/command' "$T/err"

if [ -x "$R/sigwait" ]; then
	"${ROOT_CMD[@]}" -- /sigwait -r /tmp/ready -t 20 >"$T/out" 2>"$T/err" </dev/null &
	UPID=$!
	BG_PIDS+=("$UPID")
	if wait_file 5 "$R/tmp/ready"; then
		VPID=$(children "$UPID")
		kill -TERM "${VPID%% *}"
		wait_exit 10
		check_rc term_reaches_the_command 15
	else
		fail term_reaches_the_command "the helper did not start"
	fi
fi

if [ "$SUPERVISOR" != 1 ]; then
	summary
fi

in_root --preflight fail --report /out/report.json --termination-log /out/termination-log -- /vigil --version
check_rc supervised_run_with_preflight 0
check report_written "$(cat "$R/out/report.json" 2>/dev/null)" grep -q '"reason":"exited"' "$R/out/report.json"
check termination_log_written "missing" test -s "$R/out/termination-log"

if [ "$CAPNG" = 1 ]; then
	# As root, a second vigil may switch to root again; after the outer
	# drop to app it has no CAP_SETGID left and must refuse (77).
	in_root -- /vigil -q --user root -- /vigil --version
	check_rc inner_drop_to_root_works_as_root 0
	in_root --user app -- /vigil -q --user root -- /vigil --version
	check_rc user_name_from_etc_passwd_drops 77
	in_root --user app:extra -- /vigil --version
	check_rc group_name_from_etc_group 0
	in_root --user nosuchuser -- /vigil --version
	check_rc unknown_user_refused 77
fi

if [ "$SECCOMP" = 1 ] && [ -x "$R/sysprobe" ]; then
	in_root -- /sysprobe swapoff
	base=$(cat "$T/out")
	check probe_runs_in_root "$(cat "$T/err")" test -n "$base"
	# As in seccomp.sh: only a denial that is not EPERM unfiltered proves it.
	if [ "$base" = EPERM ]; then
		echo "# swapoff is EPERM even unfiltered here: its denial proves little"
	fi
	in_root --seccomp default -- /sysprobe swapoff
	check seccomp_filter_loads "$(cat "$T/out") $(cat "$T/err")" test "$(cat "$T/out")" = EPERM
fi

summary
