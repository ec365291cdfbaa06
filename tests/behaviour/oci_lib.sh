# oci_lib.sh: running the static vigil inside real OCI containers with runc,
# for runc.sh and pod.sh (sourced after lib.sh). Builds one read-only root
# (busybox-static and its applet links, vigil, the static test helpers,
# /etc/passwd and /etc/group), writes one bundle per case from `runc spec`,
# and runs it with a private `runc --root` under $T, so no container state
# reaches the system's; every container is deleted at exit.
#
# runc and busybox-static come from Debian (tests/run.sh installs them for
# this stage). Without them, or where runc cannot start a container at all,
# the script skips; VIGIL_REQUIRE_RUNC=1 (set by tests/run.sh) turns that
# skip into a failure, so CI cannot pass without running the containers.

RUNC=${RUNC:-runc}
RUNC_ROOT=$T/runc-state        # runc's state: private, gone with $T
ROOTFS=$T/rootfs
CIDS=()                        # containers to delete at exit
CID_PREFIX=vigil-$$-${RANDOM}

oci_cleanup() {
	local id
	for id in "${CIDS[@]}"; do
		timeout -k 2 10 "$RUNC" --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1
	done
}
# runc delete first: killing a `runc run` alone would leave its container.
trap 'oci_cleanup; cleanup' EXIT

# oci_skip REASON: skip the script, or fail it when containers are required.
oci_skip() {
	if [ "${VIGIL_REQUIRE_RUNC:-0}" = 1 ]; then
		fail runc_available "$1 (VIGIL_REQUIRE_RUNC=1)"
		summary
	fi
	skip_all "$1"
}

is_static() { ! readelf -l "$1" 2>/dev/null | grep -q INTERP; }

# oci_require: everything the containers need, or skip with the reason.
oci_require() {
	local b
	[ "$(id -u)" = 0 ] || oci_skip "needs root (runc)"
	command -v "$RUNC" >/dev/null || oci_skip "runc not installed (apt-get install runc)"
	command -v jq >/dev/null || oci_skip "jq not installed"
	BUSYBOX=$(command -v busybox) || oci_skip "busybox not installed (apt-get install busybox-static)"
	is_static "$BUSYBOX" || oci_skip "$BUSYBOX is not static (busybox-static)"
	# Only a static vigil runs in a root without libc: a dynamic one here is
	# a build bug, not a reason to skip.
	if ! is_static "$VIGIL_REAL"; then
		fail vigil_is_static "$VIGIL_REAL has a program interpreter"
		summary
	fi
	for b in orphans memhog sysprobe; do
		if [ ! -x "$HELPERS/$b" ] || ! is_static "$HELPERS/$b"; then
			fail "helper_${b}_is_static" "$HELPERS/$b missing or dynamic"
			summary
		fi
	done
	mkdir -p "$RUNC_ROOT"
}

# make_rootfs: the one root every bundle shares (read-only in every spec).
make_rootfs() {
	local p
	mkdir -p "$ROOTFS"/{bin,etc,tmp,out,proc,dev,sys,usr/local/bin}
	# runc gives a tmpfs the mode of the folder it covers: 1777 as in images.
	chmod 1777 "$ROOTFS/tmp"
	cp "$BUSYBOX" "$ROOTFS/bin/busybox"
	# Applet links, skipping names that already exist (busybox itself).
	for p in $("$BUSYBOX" --list-full); do
		[ -e "$ROOTFS/$p" ] || [ -L "$ROOTFS/$p" ] && continue
		mkdir -p "$ROOTFS/$(dirname "$p")"
		ln -s /bin/busybox "$ROOTFS/$p"
	done
	cp "$VIGIL_REAL" "$ROOTFS/vigil"
	ln -s /vigil "$ROOTFS/usr/local/bin/vigil"
	for p in orphans memhog sysprobe; do
		cp "$HELPERS/$p" "$ROOTFS/$p"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' >"$ROOTFS/etc/passwd"
	printf 'root:x:0:\napp:x:1000:\n' >"$ROOTFS/etc/group"
}

# docker_seccomp FILE: a seccomp profile in the shape of Docker's default
# one: everything not allowed fails with EPERM; clone only without
# namespace flags; clone3 fails with ENOSYS so libcs fall back to clone;
# personality only for the harmless personas. The list is what a container
# without extra capabilities gets.
docker_seccomp() {
	local allow
	allow=$(cat <<-'EOF'
	accept accept4 access adjtimex alarm arch_prctl bind brk capget capset
	chdir chmod chown chown32 clock_adjtime clock_adjtime64 clock_getres
	clock_getres_time64 clock_gettime clock_gettime64 clock_nanosleep
	clock_nanosleep_time64 close close_range connect copy_file_range creat
	dup dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old
	epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2
	execve execveat exit exit_group faccessat faccessat2 fadvise64
	fadvise64_64 fallocate fanotify_mark fchdir fchmod fchmodat fchown
	fchown32 fchownat fcntl fcntl64 fdatasync fgetxattr flistxattr flock
	fork fremovexattr fsetxattr fstat fstat64 fstatat64 fstatfs fstatfs64
	fsync ftruncate ftruncate64 futex futex_time64 futimesat getcpu getcwd
	getdents getdents64 getegid getegid32 geteuid geteuid32 getgid getgid32
	getgroups getgroups32 getitimer getpeername getpgid getpgrp getpid
	getppid getpriority getrandom getresgid getresgid32 getresuid
	getresuid32 getrlimit get_robust_list getrusage getsid getsockname
	getsockopt get_thread_area gettid gettimeofday getuid getuid32 getxattr
	inotify_add_watch inotify_init inotify_init1 inotify_rm_watch io_cancel
	ioctl io_destroy io_getevents io_pgetevents io_pgetevents_time64
	ioprio_get ioprio_set io_setup io_submit ipc kill lchown lchown32
	lgetxattr link linkat listen listxattr llistxattr _llseek lremovexattr
	lseek lsetxattr lstat lstat64 madvise membarrier memfd_create mincore
	mkdir mkdirat mknod mknodat mlock mlock2 mlockall mmap mmap2 modify_ldt
	mprotect mq_getsetattr mq_notify mq_open mq_timedreceive
	mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 mq_unlink
	mremap msgctl msgget msgrcv msgsnd msync munlock munlockall munmap
	nanosleep newfstatat _newselect open openat openat2 pause pidfd_open
	pidfd_send_signal pipe pipe2 poll ppoll ppoll_time64 prctl pread64
	preadv preadv2 prlimit64 pselect6 pselect6_time64 ptrace pwrite64
	pwritev pwritev2 read readahead readlink readlinkat readv recv recvfrom
	recvmmsg recvmmsg_time64 recvmsg remap_file_pages removexattr rename
	renameat renameat2 restart_syscall rmdir rseq rt_sigaction rt_sigpending
	rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend
	rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo
	sched_getaffinity sched_getattr sched_getparam sched_get_priority_max
	sched_get_priority_min sched_getscheduler sched_rr_get_interval
	sched_rr_get_interval_time64 sched_setaffinity sched_setattr
	sched_setparam sched_setscheduler sched_yield seccomp select semctl
	semget semop semtimedop semtimedop_time64 send sendfile sendfile64
	sendmmsg sendmsg sendto setfsgid setfsgid32 setfsuid setfsuid32 setgid
	setgid32 setgroups setgroups32 setitimer setpgid setpriority setregid
	setregid32 setresgid setresgid32 setresuid setresuid32 setreuid
	setreuid32 setrlimit set_robust_list setsid setsockopt set_thread_area
	set_tid_address setuid setuid32 setxattr shmat shmctl shmdt shmget
	shutdown sigaltstack signalfd signalfd4 sigprocmask sigreturn socket
	socketcall socketpair splice stat stat64 statfs statfs64 statx symlink
	symlinkat sync sync_file_range syncfs sysinfo tee tgkill time
	timer_create timer_delete timer_getoverrun timer_gettime
	timer_gettime64 timer_settime timer_settime64 timerfd_create
	timerfd_gettime timerfd_gettime64 timerfd_settime timerfd_settime64
	times tkill truncate truncate64 ugetrlimit umask uname unlink unlinkat
	utime utimensat utimensat_time64 utimes vfork vmsplice wait4 waitid
	waitpid write writev
	EOF
	)
	# shellcheck disable=SC2086
	printf '%s\n' $allow | jq -R . | jq -s '{
		defaultAction: "SCMP_ACT_ERRNO",
		defaultErrnoRet: 1,
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		syscalls: [
			{ names: ., action: "SCMP_ACT_ALLOW" },
			{ names: ["clone"], action: "SCMP_ACT_ALLOW",
			  args: [{ index: 0, value: 2114060288, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" }] },
			{ names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38 },
			{ names: ["personality"], action: "SCMP_ACT_ALLOW",
			  args: [{ index: 0, value: 0, op: "SCMP_CMP_EQ" }] },
			{ names: ["personality"], action: "SCMP_ACT_ALLOW",
			  args: [{ index: 0, value: 8, op: "SCMP_CMP_EQ" }] },
			{ names: ["personality"], action: "SCMP_ACT_ALLOW",
			  args: [{ index: 0, value: 4294967295, op: "SCMP_CMP_EQ" }] }
		] }' >"$1"
}

# base_spec: `runc spec` turned into the spec every case starts from: no
# terminal, the shared root read-only, a tmpfs /tmp, the case's /out bound
# from the host, an open-file limit the host's hard limit allows (root has
# no CAP_SYS_RESOURCE on some hosts, and runc fails on a higher one).
base_spec() {
	local nofile hard
	hard=$(ulimit -Hn)
	nofile=1024
	[ "$hard" != unlimited ] && [ "$hard" -lt $nofile ] && nofile=$hard
	mkdir -p "$T/spec"
	"$RUNC" spec --bundle "$T/spec" || return 1
	jq --arg root "$ROOTFS" --argjson nofile "$nofile" '
		.process.terminal = false
		| .process.env = ["PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"]
		| .process.rlimits = [{ type: "RLIMIT_NOFILE", hard: $nofile, soft: $nofile }]
		| .root = { path: $root, readonly: true }
		| .mounts += [{ destination: "/tmp", type: "tmpfs", source: "tmpfs",
				options: ["nosuid", "nodev", "mode=1777", "size=16m"] }]' \
		"$T/spec/config.json" >"$T/spec/base.json"
}

# bundle NAME ARGS-JSON [JQ-FILTER [JQ-ARGS...]]: write bundle $T/b/NAME
# running ARGS-JSON, with its own /out ($T/b/NAME/out, world-writable for
# dropped users); JQ-FILTER edits the spec further.
bundle() {
	local name=$1 args=$2 filter=${3:-.} b=$T/b/$1
	shift 3 2>/dev/null || shift $#
	mkdir -p "$b/out"
	chmod 0777 "$b/out"
	jq --argjson args "$args" --arg out "$b/out" "$@" "
		.process.args = \$args
		| .mounts += [{ destination: \"/out\", type: \"bind\", source: \$out,
				options: [\"rbind\", \"rw\"] }]
		| $filter" "$T/spec/base.json" >"$b/config.json"
}

# json_args WORD...: the words as a JSON array (for a spec's process.args).
json_args() {
	local a
	for a in "$@"; do
		printf '%s' "$a" | jq -Rs .
	done | jq -cs .
}

cid() { echo "$CID_PREFIX-$1"; }

# run_ctr NAME: `runc run` bundle NAME in the foreground, bounded by
# RUN_TIMEOUT (default 30 s); stdout in $T/out, stderr in $T/err, the
# container's exit status in $RC.
run_ctr() {
	CIDS+=("$(cid "$1")")
	timeout -k 2 "${RUN_TIMEOUT:-30}" "$RUNC" --root "$RUNC_ROOT" run --bundle "$T/b/$1" \
		"$(cid "$1")" </dev/null >"$T/out" 2>"$T/err"
	RC=$?
}

# start_ctr NAME [READY-FILE]: `runc run` bundle NAME in the background
# (UPID = runc's pid, for wait_exit); output in $T/b/NAME/{stdout,stderr}.
# Waits (10 s at most) for READY-FILE (relative to its /out) when given.
start_ctr() {
	local name=$1 ready=${2:-}
	CIDS+=("$(cid "$name")")
	"$RUNC" --root "$RUNC_ROOT" run --bundle "$T/b/$name" "$(cid "$name")" \
		</dev/null >"$T/b/$name/stdout" 2>"$T/b/$name/stderr" &
	UPID=$!
	BG_PIDS+=("$UPID")
	[ -z "$ready" ] || wait_file 10 "$T/b/$name/out/$ready"
}

# ctr_state NAME: runc's status of the container (running, stopped...).
ctr_state() {
	"$RUNC" --root "$RUNC_ROOT" state "$(cid "$1")" 2>/dev/null | jq -r .status
}
ctr_running() { [ "$(ctr_state "$1")" = running ]; }

# ctr_pid NAME: host pid of the container's init process.
ctr_pid() {
	"$RUNC" --root "$RUNC_ROOT" state "$(cid "$1")" 2>/dev/null | jq -r .pid
}

# kill_ctr NAME SIGNAL: what `docker kill`, `docker stop` and kubelet do.
kill_ctr() {
	timeout -k 2 10 "$RUNC" --root "$RUNC_ROOT" kill "$(cid "$1")" "$2"
}

# oci_probe: a container that only runs busybox's `true` must work here,
# or runc cannot run on this machine at all (a nested container without
# cgroups, say): skip with runc's own words.
oci_probe() {
	bundle probe '["/bin/true"]'
	RUN_TIMEOUT=20 run_ctr probe
	[ "$RC" = 0 ] || oci_skip "runc cannot run a container here: $(head -c 300 "$T/err" | tr '\n' ' ')"
}

# oci_setup: everything above, in order.
oci_setup() {
	oci_require
	make_rootfs
	base_spec || oci_skip "runc spec failed"
	docker_seccomp "$T/docker-seccomp.json"
	oci_probe
}

# report_field FILE JQ-PATH: one field of a JSON report (the last line
# of a termination log is its JSON).
report_field() {
	tail -n 1 "$1" 2>/dev/null | jq -r "$2" 2>/dev/null
}
