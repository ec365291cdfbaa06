/* sysprobe: behaviour-test helper that makes one syscall and prints how it
 * ended ("OK" or the errno name, e.g. EPERM), to see what a seccomp filter
 * denies. Every probe is harmless when unfiltered, even as root: bogus
 * paths that do not exist, or queries that change nothing.
 *
 * usage: sysprobe swapoff|acct|mount|keyctl|personality|clone3|i386_getpid */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long probe(const char *name)
{
	if (strcmp(name, "swapoff") == 0)
		return syscall(SYS_swapoff, "/nonexistent/vigil-sysprobe");
	/* Never acct(NULL): that would switch off accounting for real. */
	if (strcmp(name, "acct") == 0)
		return syscall(SYS_acct, "/nonexistent/vigil-sysprobe");
	if (strcmp(name, "mount") == 0)
		return syscall(SYS_mount, "none", "/nonexistent/vigil-sysprobe",
			       "tmpfs", 0UL, NULL);
	/* KEYCTL_GET_KEYRING_ID of the session keyring, without creating it. */
	if (strcmp(name, "keyctl") == 0)
		return syscall(SYS_keyctl, 0, -3, 0);
	/* 0xffffffff only queries the current persona. */
	if (strcmp(name, "personality") == 0)
		return syscall(SYS_personality, 0xffffffffUL);
#ifdef SYS_clone3
	/* A size below the first version of struct clone_args: EINVAL
	 * unfiltered, never a new process; a container profile that turns
	 * clone3 away (Docker's) answers ENOSYS. */
	if (strcmp(name, "clone3") == 0)
		return syscall(SYS_clone3, NULL, 0UL);
#endif
#ifdef __x86_64__
	/* getpid through the i386 ABI (int 0x80, number 20), which a
	 * 64-bit process may use when the kernel has IA32 emulation. */
	if (strcmp(name, "i386_getpid") == 0) {
		long r;

		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
		if (r < 0) {
			errno = (int)-r;
			return -1;
		}
		return r;
	}
#endif
	errno = 0;
	return -2;
}

/* Our own table: strerrorname_np is glibc-only and this helper is also
 * built with musl for the static release. Only what the probes can meet. */
static const char *errno_name(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ENOSYS, "ENOSYS" },
		{ EINVAL, "EINVAL" }, { EFAULT, "EFAULT" }, { EACCES, "EACCES" },
		{ ENOTDIR, "ENOTDIR" }, { ENODEV, "ENODEV" }, { EBUSY, "EBUSY" },
		{ ENOKEY, "ENOKEY" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	return NULL;
}

int main(int argc, char **argv)
{
	const char *ename;
	long rc;

	if (argc != 2) {
		fprintf(stderr, "usage: sysprobe swapoff|acct|mount|keyctl|personality|clone3|i386_getpid\n");
		return 2;
	}
	errno = 0;
	rc = probe(argv[1]);
	if (rc == -2 && errno == 0) {
		fprintf(stderr, "sysprobe: unknown probe '%s'\n", argv[1]);
		return 2;
	}
	if (rc >= 0) {
		puts("OK");
		return 0;
	}
	ename = errno_name(errno);
	if (ename)
		puts(ename);
	else
		printf("E%d\n", errno);
	return 1;
}
