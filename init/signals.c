/* signals: name table and the set vigil takes over. The real-time range is
 * computed at run time because libcs reserve different low RT signals. */
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
	const char *name;
	int num;
} sig_table[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS },
	{ "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CLD", SIGCHLD }, { "CONT", SIGCONT },
	{ "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM },
	{ "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO }, { "POLL", SIGPOLL },
	{ "PWR", SIGPWR }, { "SYS", SIGSYS },
};

#define NTABLE (sizeof(sig_table) / sizeof(sig_table[0]))

static int parse_uint(const char *s, int max)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	return (int)v;
}

static int parse_rt(const char *s)
{
	int base, off = 0;
	const char *rest;

	if (strncasecmp(s, "RTMIN", 5) == 0) {
		base = VIGIL_RTMIN;
		rest = s + 5;
	} else if (strncasecmp(s, "RTMAX", 5) == 0) {
		base = VIGIL_RTMAX;
		rest = s + 5;
	} else {
		return -EINVAL;
	}
	if (*rest) {
		int sign = *rest == '+' ? 1 : *rest == '-' ? -1 : 0;

		if (!sign)
			return -EINVAL;
		off = parse_uint(rest + 1, 64);
		if (off < 0)
			return -EINVAL;
		off *= sign;
	}
	if (base + off < VIGIL_RTMIN || base + off > VIGIL_RTMAX)
		return -EINVAL;
	return base + off;
}

int sig_parse(const char *s, int allow_zero)
{
	int v;

	if (!s || !*s)
		return -EINVAL;
	/* Strip "SIG" first so "SIG32", which sig_name gives for an unnamed
	 * number, parses back. */
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	if (*s >= '0' && *s <= '9') {
		v = parse_uint(s, VIGIL_NSIG - 1);
		if (v < 0 || (v == 0 && !allow_zero))
			return -EINVAL;
		return v;
	}
	for (size_t i = 0; i < NTABLE; i++)
		if (strcasecmp(s, sig_table[i].name) == 0)
			return sig_table[i].num;
	return parse_rt(s);
}

const char *sig_name(int sig, char *buf, size_t len)
{
	for (size_t i = 0; i < NTABLE; i++) {
		if (sig_table[i].num == sig) {
			snprintf(buf, len, "SIG%s", sig_table[i].name);
			return buf;
		}
	}
	if (sig >= VIGIL_RTMIN && sig <= VIGIL_RTMAX) {
		int mid = (VIGIL_RTMIN + VIGIL_RTMAX) / 2;

		if (sig == VIGIL_RTMIN)
			snprintf(buf, len, "SIGRTMIN");
		else if (sig == VIGIL_RTMAX)
			snprintf(buf, len, "SIGRTMAX");
		else if (sig <= mid)
			snprintf(buf, len, "SIGRTMIN+%d", sig - VIGIL_RTMIN);
		else
			snprintf(buf, len, "SIGRTMAX-%d", VIGIL_RTMAX - sig);
		return buf;
	}
	snprintf(buf, len, "SIG%d", sig);
	return buf;
}

int sig_is_forwarded(int sig)
{
	switch (sig) {
	case SIGKILL: case SIGSTOP: case SIGCHLD:
		return 0;
	default:
		break;
	}
	if (sig >= 1 && sig < 32)
		return 1;
	return sig >= VIGIL_RTMIN && sig <= VIGIL_RTMAX;
}

int sig_is_fault(int sig)
{
	switch (sig) {
	case SIGSEGV: case SIGBUS: case SIGFPE: case SIGILL: case SIGTRAP:
	case SIGABRT: case SIGSYS:
		return 1;
	default:
		return 0;
	}
}

/* sigaddset refuses the signals a libc keeps for itself (musl: 32-34),
 * but the kernel takes any bit; vigil is single-threaded and uses none of
 * the libc features behind them, so it sets the bits itself. */
static void set_bit(sigset_t *set, int sig)
{
	unsigned long *w = (unsigned long *)set;
	unsigned bits = 8 * sizeof(unsigned long);

	w[(unsigned)(sig - 1) / bits] |= 1UL << ((unsigned)(sig - 1) % bits);
}

static bool has_bit(const sigset_t *set, int sig)
{
	const unsigned long *w = (const unsigned long *)set;
	unsigned bits = 8 * sizeof(unsigned long);

	return w[(unsigned)(sig - 1) / bits] >> ((unsigned)(sig - 1) % bits) & 1UL;
}

/* The 64 kernel signal bits as one number, bit sig-1 for sig, in the
 * kernel's word order (unsigned long words, low signals first). */
static void put_bits(sigset_t *set, uint64_t bits)
{
	unsigned long *w = (unsigned long *)set;

	sigemptyset(set);
	for (unsigned i = 0; i < 64 / (8 * sizeof(unsigned long)); i++)
		w[i] = (unsigned long)(bits >> (i * 8 * sizeof(unsigned long)));
}

static uint64_t bit(int sig)
{
	return UINT64_C(1) << (sig - 1);
}

/* Everything but KILL, STOP and the libc-reserved 32..VIGIL_RTMIN-1: the
 * same set sig_is_forwarded describes plus SIGCHLD, built without asking
 * signal by signal (the start-up path runs this once). */
void sig_takeover_set(sigset_t *set)
{
	uint64_t bits = ~(bit(SIGKILL) | bit(SIGSTOP));

	for (int s = 32; s < VIGIL_RTMIN; s++)
		bits &= ~bit(s);
	put_bits(set, bits);
}

/* The signal state vigil was started with, kept for a child that must
 * inherit it (tini mode). Raw bit sets: the libcs hide 32-34 from what
 * they report. */
static sigset_t inherited_mask;
static sigset_t inherited_ign;

/* The kernel's own sigaction, for the numbers a libc refuses (musl
 * 32-34, glibc 32-33). Only SIG_DFL and SIG_IGN are ever set, so no
 * restorer is needed. The handler comes first on every architecture
 * except MIPS, where vigil trusts the libc alone. */
struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned int mask[2];
};

static int raw_sigaction(int sig, bool set, void (*handler)(int), void (**old)(int))
{
#if defined(SYS_rt_sigaction) && !defined(__mips__)
	struct kernel_sigaction ksa = { .handler = handler }, kold;

	memset(&kold, 0, sizeof(kold));
	if (syscall(SYS_rt_sigaction, sig, set ? &ksa : NULL, &kold, _NSIG / 8) < 0)
		return -errno;
	if (old)
		*old = kold.handler;
	return 0;
#else
	(void)sig; (void)set; (void)handler; (void)old;
	return -ENOSYS;
#endif
}

/* Sets handler (unless !set: only reads) and returns the old one in
 * *old, through the libc where it agrees, else through the kernel. */
static int disposition(int sig, bool set, void (*handler)(int), void (**old)(int))
{
	struct sigaction sa, prev;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	if (sigaction(sig, set ? &sa : NULL, &prev) == 0) {
		if (old)
			*old = prev.sa_handler;
		return 0;
	}
	if (errno != EINVAL)
		return -errno;
	return raw_sigaction(sig, set, handler, old);
}

static int raw_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	if (syscall(SYS_rt_sigprocmask, how, set, old, _NSIG / 8) < 0)
		return -errno;
	return 0;
}

/* Where the SigIgn line can start at the earliest. Every kernel prints
 * at least Name, State, Tgid, Pid, PPid, TracerPid, Uid, Gid, FDSize,
 * Groups, ten fixed-width Vm lines (vigil has an address space), Threads,
 * SigQ, SigPnd, ShdPnd and SigBlk before it: over 400 bytes. A /proc that
 * prints less (a sandbox's own) only makes the search miss, and the
 * caller then asks signal by signal: slower, never wrong. */
#define SIGIGN_MIN_OFFSET 384

/* Which of the 32 bytes at p equal c, one bit per byte (bit i: p[i]).
 * The whole scan is this test: SSE2 is part of every x86-64. */
#if defined(__SSE2__)
#include <emmintrin.h>
static uint32_t bytes_equal32(const char *p, char c)
{
	__m128i k = _mm_set1_epi8(c);
	__m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));

	return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, k)) |
	       (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, k)) << 16;
}
#else
static uint32_t bytes_equal32(const char *p, char c)
{
	const uint64_t ones = 0x0101010101010101u;
	uint32_t m = 0;

	for (int i = 0; i < 32; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, sizeof(w));
		w ^= ones * (unsigned char)c;
		/* The word test: exact for "none", the rare hit then looks
		 * byte by byte. */
		if (!((w - ones) & ~w & ones << 7))
			continue;
		for (int k = 0; k < 8; k++)
			m |= (uint32_t)(p[i + k] == c) << (i + k);
	}
	return m;
}
#endif

/* Sixteen lower-case hex digits, as the kernel prints a signal set, to
 * their value, eight at a time; any other byte is -EPROTO. */
static int hex16(const char *p, uint64_t *out)
{
	const uint64_t ones = 0x0101010101010101u, high = ones << 7;
	uint64_t v = 0, a, b;

	/* Nothing ignored, the usual case: sixteen '0's. */
	memcpy(&a, p, sizeof(a));
	memcpy(&b, p + 8, sizeof(b));
	if ((a & b) == '0' * ones && (a | b) == '0' * ones) {
		*out = 0;
		return 0;
	}
	for (int half = 0; half < 2; half++) {
		uint64_t w, digit, letter, lo, x;

		memcpy(&w, p + 8 * half, sizeof(w));
		if (w & high)
			return -EPROTO;
		/* Per byte: '0'-'9' is 0x30-0x39, 'a'-'f' is 0x61-0x66. Adding
		 * 0x7f-'9' overflows into bit 7 exactly above '9', and so on:
		 * each class test is one add and a mask, no carries cross
		 * bytes because every byte is below 0x80. */
		digit = ((w + (0x7f - '9') * ones) ^ (w + (0x80 - '0') * ones)) & high;
		letter = ((w + (0x7f - 'f') * ones) ^ (w + (0x80 - 'a') * ones)) & high;
		if ((digit | letter) != high)
			return -EPROTO;
		/* The low nibble, plus 9 for a letter ('a' is 0x61). */
		lo = (w & 0x0f * ones) + (letter >> 7) * 9;
		/* Big-endian digits in a little- or big-endian word. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		lo = __builtin_bswap64(lo);
#endif
		/* Pack eight nibbles (one per byte) into 32 bits. */
		x = (lo | lo >> 4) & 0x00ff00ff00ff00ffu;
		x = (x | x >> 8) & 0x0000ffff0000ffffu;
		x = (x | x >> 16) & 0xffffffffu;
		v = v << 32 | x;
	}
	*out = v;
	return 0;
}

static const char sigign_key[] = "\nSigIgn:\t";
#define SIGIGN_KEY_LEN (sizeof(sigign_key) - 1)
/* From the 'I' to past the value's newline. */
#define SIGIGN_TAIL (SIGIGN_KEY_LEN - 4 + 16 + 1)

/* 1: q is not the 'I' of a "\nSigIgn:\t" line. 0: it is, and *bits
 * holds its value. -EPROTO: it is, but the value is malformed. The
 * caller leaves SIGIGN_TAIL bytes from q. */
static int value_at(const char *buf, const char *q, uint64_t *bits)
{
	uint64_t have, want;

	if (q - buf < 4)
		return 1;
	/* Eight bytes as one word, then the tab: no call to memcmp. */
	memcpy(&have, q - 4, sizeof(have));
	memcpy(&want, sigign_key, sizeof(want));
	if (have != want || q[SIGIGN_KEY_LEN - 5] != '\t')
		return 1;
	if (q[SIGIGN_TAIL - 1] != '\n')
		return -EPROTO;
	return hex16(q + SIGIGN_KEY_LEN - 4, bits);
}

int sig_status_ignored(const char *buf, size_t len, uint64_t *bits)
{
	const char *end = buf + len;
	const char *p = buf + (len >= SIGIGN_MIN_OFFSET + 64 ? SIGIGN_MIN_OFFSET : 0);
	int r;

	/* The 'I' of SigIgn is the first capital I in the file: test 32
	 * bytes at a time and look closer only at the I's found. */
	for (; end - p >= (ptrdiff_t)(32 + SIGIGN_TAIL); p += 32) {
		for (uint32_t m = bytes_equal32(p, 'I'); m; m &= m - 1)
			if ((r = value_at(buf, p + __builtin_ctz(m), bits)) <= 0)
				return r;
	}
	/* The last bytes one by one, where 32 do not fit any more. */
	for (; end - p >= (ptrdiff_t)SIGIGN_TAIL; p++)
		if (*p == 'I' && (r = value_at(buf, p, bits)) <= 0)
			return r;
	return -EPROTO;
}

/* The ignored set vigil was started with, from the SigIgn line of
 * /proc/self/status: one open, one read and one close instead of asking
 * the kernel signal by signal (64 rt_sigaction calls, about twice the
 * time). Only SIG_IGN can be inherited: exec resets caught signals to
 * SIG_DFL. -errno (or -EPROTO for a line not found) lets the caller fall
 * back to asking signal by signal, e.g. without /proc. */
static int read_ignored(uint64_t *bits)
{
	char buf[4096];
	ssize_t n;
	int fd;

	/* openat: musl's open adds an fcntl for O_CLOEXEC on old kernels. */
	fd = openat(AT_FDCWD, "/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return -EIO;
	return sig_status_ignored(buf, (size_t)n, bits);
}

/* Without /proc: ask (and reset) signal by signal. */
static void reset_each(void)
{
	for (int s = 1; s < VIGIL_NSIG; s++) {
		void (*old)(int) = SIG_DFL;

		if (s == SIGKILL || s == SIGSTOP)
			continue;
		if (sig_is_forwarded(s) || s == SIGCHLD) {
			if (disposition(s, true, SIG_DFL, &old) < 0)
				continue;
		} else if (disposition(s, false, SIG_DFL, &old) < 0) {
			continue;
		}
		if (old == SIG_IGN)
			set_bit(&inherited_ign, s);
	}
}

void sig_reset_dispositions(void)
{
	uint64_t ign;

	sigemptyset(&inherited_ign);
	if (read_ignored(&ign) < 0) {
		reset_each();
		return;
	}
	put_bits(&inherited_ign, ign);
	/* Usually nothing is ignored and this costs no system call. */
	for (int s = 1; ign && s < VIGIL_NSIG; s++) {
		if (!(ign & bit(s)))
			continue;
		ign &= ~bit(s);
		if (sig_is_forwarded(s) || s == SIGCHLD)
			(void)disposition(s, true, SIG_DFL, NULL);
	}
}

int sig_block_takeover(const sigset_t *set)
{
	return raw_sigmask(SIG_BLOCK, set, &inherited_mask);
}

int sig_prepare_exec(bool inherit)
{
	sigset_t empty;
	int r;

	for (int s = 1; s < VIGIL_NSIG; s++) {
		if (!has_bit(&inherited_ign, s))
			continue;
		/* The taken-over ones are SIG_DFL already; only what vigil
		 * left alone (glibc's and musl's reserved 32, 33) needs the
		 * reset for the child. */
		if (inherit)
			r = disposition(s, true, SIG_IGN, NULL);
		else if (!sig_is_forwarded(s) && s != SIGCHLD)
			r = disposition(s, true, SIG_DFL, NULL);
		else
			r = 0;
		if (r < 0)
			return r;
	}
	sigemptyset(&empty);
	return raw_sigmask(SIG_SETMASK, inherit ? &inherited_mask : &empty, NULL);
}
