/* seccomp_filter: turn --seccomp default / --seccomp-deny into syscall
 * numbers in the parent, and load an allow-by-default filter that answers
 * the denied syscalls with EPERM (ENOSYS for the ones a libc probes) in
 * the child, just before exec. */
#include "seccomp_filter.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

/*
 * Syscalls a containerised service has no business making: they load
 * kernel code, change the machine's mounts, clock or power state, or are
 * large attack surfaces seldom used by services. personality and ptrace
 * are left out on purpose: some ordinary programs and debuggers need them.
 */
const char *const seccomp_default_deny[] = {
	"kexec_load", "kexec_file_load", "init_module", "finit_module",
	"delete_module", "reboot",
	"mount", "umount2", "pivot_root", "fsopen", "fsmount", "move_mount",
	"open_tree", "fsconfig", "fspick", "mount_setattr",
	"swapon", "swapoff", "acct", "quotactl",
	"bpf", "perf_event_open", "userfaultfd", "open_by_handle_at",
	"keyctl", "add_key", "request_key",
	"settimeofday", "clock_settime", "adjtimex", "clock_adjtime",
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	"iopl", "ioperm", "vm86", "vm86old",
	"lookup_dcookie", "nfsservctl", "uselib", "_sysctl",
	NULL,
};

/*
 * Syscalls a libc or libmount tries first and falls back from only when
 * the kernel lacks them: glibc's clone3 (threads, posix_spawn) goes back
 * to clone on ENOSYS but fails on EPERM, and so does util-linux with the
 * new mount API. Denied (by either list), they answer "not implemented".
 * clone3 itself is not in the default list: its flags cannot be filtered
 * (they sit in a struct), and clone and unshare stay allowed anyway.
 */
const char *const seccomp_enosys[] = {
	"clone3", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount",
	"open_tree", "mount_setattr",
	NULL,
};

static bool contains(const int *nrs, size_t n, int nr)
{
	for (size_t i = 0; i < n; i++)
		if (nrs[i] == nr)
			return true;
	return false;
}

int seccomp_parse_list(const char *list, int *nrs, size_t max, size_t *n, const char **bad)
{
	const char *p = list;
	char name[64];

	*n = 0;
	if (!list) {
		*bad = "";
		return -EINVAL;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		int nr;

		*bad = p;
		/* An empty entry ("a,,b", a trailing comma) is a typo, not "nothing". */
		if (len == 0 || len >= sizeof(name))
			return -EINVAL;
		memcpy(name, p, len);
		name[len] = '\0';
		/* Names of another arch only (socketcall on x86_64) resolve to
		 * negative pseudo numbers the filter would drop: refuse them. */
		nr = seccomp_syscall_resolve_name(name);
		if (nr < 0)
			return -EINVAL;
		/* Duplicates are harmless; keeping them would only eat the limit. */
		if (!contains(nrs, *n, nr)) {
			if (*n >= max)
				return -E2BIG;
			nrs[(*n)++] = nr;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	*bad = NULL;
	return 0;
}

/* Copies without snprintf: this runs between fork and exec. */
static void set_what(struct spawn_error *e, const char *a, const char *b)
{
	size_t i = 0;

	for (; *a && i < sizeof(e->what) - 1; a++)
		e->what[i++] = *a;
	for (; b && *b && i < sizeof(e->what) - 1; b++)
		e->what[i++] = *b;
	e->what[i] = '\0';
}

static int fail(struct spawn_error *e, int rc, const char *a, const char *b)
{
	e->stage = STAGE_SECCOMP;
	e->err = rc < 0 ? -rc : rc;
	set_what(e, a, b);
	return -1;
}

static bool wants_enosys(int nr)
{
	for (const char *const *name = seccomp_enosys; *name; name++)
		if (seccomp_syscall_resolve_name(*name) == nr)
			return true;
	return false;
}

static int deny(scmp_filter_ctx ctx, int nr)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(wants_enosys(nr) ? ENOSYS : EPERM), nr, 0);
}

static int add_default(scmp_filter_ctx ctx, struct spawn_error *e)
{
	for (const char *const *name = seccomp_default_deny; *name; name++) {
		int nr = seccomp_syscall_resolve_name(*name);
		int rc;

		/* A name that is no syscall of this arch is not an error here:
		 * the list is shared by every arch. (libseccomp does not know
		 * it, or knows it from another arch as a negative pseudo
		 * number, which would only be dropped.) */
		if (nr < 0)
			continue;
		rc = deny(ctx, nr);
		if (rc < 0)
			return fail(e, rc, "add seccomp rule for ", *name);
	}
	return 0;
}

static int add_extra(scmp_filter_ctx ctx, const struct seccomp_plan *p,
		     struct spawn_error *e)
{
	for (size_t i = 0; i < p->nextra; i++) {
		int rc = deny(ctx, p->extra[i]);

		if (rc < 0) {
			char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
								      p->extra[i]);

			fail(e, rc, "add seccomp rule for ", name ? name : "a syscall");
			free(name);
			return -1;
		}
	}
	return 0;
}

/*
 * The filter holds the native arch only. Syscalls made through another ABI
 * (i386 int 0x80 or x32 on x86_64) then meet libseccomp's bad-arch action,
 * which kills the process with SIGSYS. Chosen over adding those arches
 * with the same names: their tables differ (socketcall and ipc
 * multiplexers, stime, the *_time64 calls, vm86), so a list written for
 * the native one does not carry over name for name, and a compat entry
 * path the service never uses is attack surface best shut whole. The
 * price, documented in README: 32-bit programs do not run under --seccomp.
 *
 * NO_NEW_PRIVS is always set on load. The privilege drop sets it anyway,
 * and without CAP_SYS_ADMIN the kernel refuses a filter otherwise; setting
 * it for root too keeps one behaviour for everyone. The cost: setuid
 * binaries run by the command no longer gain privileges.
 *
 * libseccomp allocates, which is safe here only because vigil is single
 * threaded: no other thread can hold the malloc lock across the fork.
 */
int seccomp_apply(const struct seccomp_plan *p, struct spawn_error *e)
{
	scmp_filter_ctx ctx;
	int rc;

	if (!p->use_default && p->nextra == 0)
		return 0;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return fail(e, -ENOMEM, "create seccomp filter", NULL);
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1);
	if (rc < 0) {
		fail(e, rc, "set no_new_privs for seccomp", NULL);
		goto out;
	}
	/* Without this, 2.5 reports every kernel refusal as ECANCELED. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
	if (rc < 0) {
		fail(e, rc, "configure seccomp error codes", NULL);
		goto out;
	}
	if (p->use_default && add_default(ctx, e) < 0) {
		rc = -1;
		goto out;
	}
	if (add_extra(ctx, p, e) < 0) {
		rc = -1;
		goto out;
	}
	rc = seccomp_load(ctx);
	if (rc < 0)
		fail(e, rc, "load seccomp filter", NULL);
out:
	seccomp_release(ctx);
	return rc < 0 ? -1 : 0;
}
