/* test_signals: the signal name table (sig_parse / sig_name) and the set of
 * signals vigil takes over and forwards. */
#include "signals.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_main.h"

START_TEST(parse_accepts_bare_name)
{
	ck_assert_int_eq(sig_parse("TERM", 0), SIGTERM);
	ck_assert_int_eq(sig_parse("HUP", 0), SIGHUP);
	ck_assert_int_eq(sig_parse("WINCH", 0), SIGWINCH);
}
END_TEST

START_TEST(parse_accepts_sig_prefix)
{
	ck_assert_int_eq(sig_parse("SIGTERM", 0), SIGTERM);
	ck_assert_int_eq(sig_parse("SIGKILL", 0), SIGKILL);
}
END_TEST

START_TEST(parse_is_case_insensitive)
{
	ck_assert_int_eq(sig_parse("sigterm", 0), SIGTERM);
	ck_assert_int_eq(sig_parse("Usr1", 0), SIGUSR1);
	ck_assert_int_eq(sig_parse("rtmin+1", 0), SIGRTMIN + 1);
}
END_TEST

START_TEST(parse_accepts_number)
{
	ck_assert_int_eq(sig_parse("15", 0), 15);
	ck_assert_int_eq(sig_parse("9", 0), 9);
	ck_assert_int_eq(sig_parse("64", 0), 64);
}
END_TEST

START_TEST(parse_zero_only_when_allowed)
{
	ck_assert_int_eq(sig_parse("0", 0), -EINVAL);
	ck_assert_int_eq(sig_parse("0", 1), 0);
}
END_TEST

START_TEST(parse_accepts_realtime_names)
{
	ck_assert_int_eq(sig_parse("RTMIN", 0), SIGRTMIN);
	ck_assert_int_eq(sig_parse("RTMAX", 0), SIGRTMAX);
	ck_assert_int_eq(sig_parse("RTMIN+3", 0), SIGRTMIN + 3);
	ck_assert_int_eq(sig_parse("SIGRTMAX-1", 0), SIGRTMAX - 1);
	ck_assert_int_eq(sig_parse("SIGRTMIN+0", 0), SIGRTMIN);
}
END_TEST

START_TEST(parse_rejects_realtime_out_of_range)
{
	ck_assert_int_eq(sig_parse("RTMIN+99", 0), -EINVAL);
	ck_assert_int_eq(sig_parse("RTMAX+1", 0), -EINVAL);
	ck_assert_int_eq(sig_parse("RTMIN-1", 0), -EINVAL);
	ck_assert_int_eq(sig_parse("RTMIN+", 0), -EINVAL);
	ck_assert_int_eq(sig_parse("RTMIN3", 0), -EINVAL);
	ck_assert_int_eq(sig_parse("RTMIN+x", 0), -EINVAL);
}
END_TEST

START_TEST(parse_rejects_number_above_max)
{
	ck_assert_int_eq(sig_parse("65", 0), -EINVAL);
	ck_assert_int_eq(sig_parse("99999999999999999999", 0), -EINVAL);
}
END_TEST

START_TEST(parse_rejects_garbage)
{
	ck_assert_int_eq(sig_parse("", 0), -EINVAL);
	ck_assert_int_eq(sig_parse(NULL, 0), -EINVAL);
	ck_assert_int_eq(sig_parse("TERMX", 0), -EINVAL);
	ck_assert_int_eq(sig_parse("-1", 0), -EINVAL);
	ck_assert_int_eq(sig_parse("15x", 0), -EINVAL);
	ck_assert_int_eq(sig_parse("SIG", 0), -EINVAL);
	ck_assert_int_eq(sig_parse(" 15", 0), -EINVAL);
}
END_TEST

START_TEST(name_of_classic_signal_has_sig_prefix)
{
	char buf[32];

	ck_assert_str_eq(sig_name(SIGTERM, buf, sizeof(buf)), "SIGTERM");
	ck_assert_str_eq(sig_name(SIGABRT, buf, sizeof(buf)), "SIGABRT");
	ck_assert_str_eq(sig_name(SIGCHLD, buf, sizeof(buf)), "SIGCHLD");
	ck_assert_str_eq(sig_name(SIGIO, buf, sizeof(buf)), "SIGIO");
}
END_TEST

START_TEST(name_of_realtime_signal_is_relative)
{
	char buf[32];

	ck_assert_str_eq(sig_name(SIGRTMIN, buf, sizeof(buf)), "SIGRTMIN");
	ck_assert_str_eq(sig_name(SIGRTMAX, buf, sizeof(buf)), "SIGRTMAX");
	ck_assert_str_eq(sig_name(SIGRTMIN + 3, buf, sizeof(buf)), "SIGRTMIN+3");
	ck_assert_str_eq(sig_name(SIGRTMAX - 1, buf, sizeof(buf)), "SIGRTMAX-1");
}
END_TEST

START_TEST(name_of_unnamed_number_is_sig_n)
{
	char buf[32];

	ck_assert_str_eq(sig_name(99, buf, sizeof(buf)), "SIG99");
}
END_TEST

/* Every number 1..SIGRTMAX, including glibc's reserved 32 and 33. */
START_TEST(name_round_trips_through_parse_for_every_signal)
{
	for (int s = 1; s <= SIGRTMAX; s++) {
		char buf[32];
		const char *n = sig_name(s, buf, sizeof(buf));

		ck_assert_msg(sig_parse(n, 0) == s, "sig_parse(sig_name(%d) = \"%s\") = %d",
			      s, n, sig_parse(n, 0));
	}
}
END_TEST

START_TEST(parse_accepts_alias_names)
{
	ck_assert_int_eq(sig_parse("IOT", 0), SIGABRT);
	ck_assert_int_eq(sig_parse("SIGPOLL", 0), SIGIO);
	ck_assert_int_eq(sig_parse("CLD", 0), SIGCHLD);
}
END_TEST

static const int forwarded[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
	SIGCONT, SIGWINCH, SIGTTIN, SIGTTOU, SIGTSTP, SIGURG, SIGXCPU, SIGXFSZ,
	SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSYS,
	/* user-sent faults: a real one still kills vigil (forced by the kernel) */
	SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT,
};

static const int never_forwarded[] = { SIGCHLD, SIGKILL, SIGSTOP, 32, 33 };

#define N(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(forwards_catchable_asynchronous_signals)
{
	for (size_t i = 0; i < N(forwarded); i++)
		ck_assert_msg(sig_is_forwarded(forwarded[i]), "signal %d not forwarded", forwarded[i]);
}
END_TEST

START_TEST(forwards_every_realtime_signal)
{
	for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
		ck_assert_msg(sig_is_forwarded(s), "RT signal %d not forwarded", s);
}
END_TEST

START_TEST(never_forwards_chld_kill_stop_and_reserved)
{
	for (size_t i = 0; i < N(never_forwarded); i++)
		ck_assert_msg(!sig_is_forwarded(never_forwarded[i]), "signal %d forwarded",
			      never_forwarded[i]);
	ck_assert(!sig_is_forwarded(0));
	ck_assert(!sig_is_forwarded(SIGRTMAX + 1));
}
END_TEST

START_TEST(takeover_set_has_chld_and_forwarded_signals)
{
	sigset_t set;

	sig_takeover_set(&set);
	ck_assert_int_eq(sigismember(&set, SIGCHLD), 1);
	for (size_t i = 0; i < N(forwarded); i++)
		ck_assert_msg(sigismember(&set, forwarded[i]) == 1, "signal %d missing", forwarded[i]);
	for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
		ck_assert_msg(sigismember(&set, s) == 1, "RT signal %d missing", s);
}
END_TEST

START_TEST(takeover_set_leaves_out_kill_and_stop)
{
	sigset_t set;

	sig_takeover_set(&set);
	ck_assert_int_eq(sigismember(&set, SIGKILL), 0);
	ck_assert_int_eq(sigismember(&set, SIGSTOP), 0);
}
END_TEST

START_TEST(faults_are_told_apart)
{
	ck_assert(sig_is_fault(SIGSEGV));
	ck_assert(sig_is_fault(SIGABRT));
	ck_assert(sig_is_fault(SIGSYS));
	ck_assert(!sig_is_fault(SIGTERM));
	ck_assert(!sig_is_fault(SIGPIPE));
}
END_TEST

/* ---- the SigIgn line of /proc/PID/status ---- */

/* A status text as this kernel prints it, with SigIgn set to ign. */
static size_t status_text(char *buf, size_t cap, const char *ign, int vm_lines)
{
	size_t n = (size_t)snprintf(buf, cap,
		"Name:\tvigil\nUmask:\t0022\nState:\tR (running)\nTgid:\t1\nNgid:\t0\n"
		"Pid:\t1\nPPid:\t0\nTracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
		"FDSize:\t64\nGroups:\t \nNStgid:\t1\nNSpid:\t1\nNSpgid:\t1\nNSsid:\t1\n");

	for (int i = 0; i < vm_lines; i++)
		n += (size_t)snprintf(buf + n, cap - n, "VmX%02d:\t%8d kB\n", i, 1000 + i);
	n += (size_t)snprintf(buf + n, cap - n,
		"Threads:\t1\nSigQ:\t0/96369\nSigPnd:\t0000000000000000\n"
		"ShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\n"
		"SigIgn:\t%s\nSigCgt:\t0000000000000000\nCapInh:\t0000000000000000\n"
		"Cpus_allowed:\t3\nMems_allowed:\t00000000,00000001\nvoluntary_ctxt_switches:\t1\n", ign);
	return n;
}

START_TEST(status_sigign_parsed)
{
	char buf[4096];
	uint64_t bits = 0;
	size_t n = status_text(buf, sizeof(buf), "0000000000001001", 16);

	ck_assert_int_eq(sig_status_ignored(buf, n, &bits), 0);
	/* SIGHUP (bit 0) and SIGPIPE (13, bit 12). */
	ck_assert_uint_eq(bits, (1u << (SIGHUP - 1)) | (1u << (SIGPIPE - 1)));
	n = status_text(buf, sizeof(buf), "0000000000000000", 16);
	ck_assert_int_eq(sig_status_ignored(buf, n, &bits), 0);
	ck_assert(bits == 0);
	n = status_text(buf, sizeof(buf), "0000000000000001", 16);
	ck_assert_int_eq(sig_status_ignored(buf, n, &bits), 0);
	ck_assert(bits == 1);
	n = status_text(buf, sizeof(buf), "1000000000000000", 16);
	ck_assert_int_eq(sig_status_ignored(buf, n, &bits), 0);
	ck_assert(bits == UINT64_C(1) << 60);
}
END_TEST

START_TEST(status_sigign_every_digit_and_high_bits)
{
	char buf[4096];
	uint64_t bits = 0;
	size_t n = status_text(buf, sizeof(buf), "fedcba9876543210", 16);

	ck_assert_int_eq(sig_status_ignored(buf, n, &bits), 0);
	ck_assert(bits == UINT64_C(0xfedcba9876543210));
	n = status_text(buf, sizeof(buf), "8000000000000000", 16);
	ck_assert_int_eq(sig_status_ignored(buf, n, &bits), 0);
	ck_assert(bits == UINT64_C(1) << 63);   /* signal 64 */
}
END_TEST

/* Wherever the line falls against the 16-byte steps of the search, at
 * every length of what precedes it. */
START_TEST(status_sigign_found_at_every_alignment)
{
	char buf[4096], shifted[4200];
	size_t n = status_text(buf, sizeof(buf), "0000000400000002", 16);
	uint64_t bits;

	for (size_t pad = 0; pad < 40; pad++) {
		memset(shifted, 'x', pad);
		if (pad)
			shifted[pad - 1] = '\n';
		memcpy(shifted + pad, buf, n);
		bits = 0;
		ck_assert_int_eq(sig_status_ignored(shifted, pad + n, &bits), 0);
		ck_assert_msg(bits == UINT64_C(0x0000000400000002), "pad %zu", pad);
	}
}
END_TEST

/* A status shorter than any kernel prints (a sandbox's own /proc) may
 * put the line where the search does not look: then it says so, and the
 * caller asks signal by signal; it never returns a wrong set. */
START_TEST(status_sigign_short_status_found_or_refused)
{
	char buf[4096], shifted[4200];
	size_t n = status_text(buf, sizeof(buf), "0000000400000002", 0);
	uint64_t bits;
	int found = 0;

	for (size_t pad = 0; pad < 400; pad++) {
		int r;

		memset(shifted, 'x', pad);
		if (pad)
			shifted[pad - 1] = '\n';
		memcpy(shifted + pad, buf, n);
		bits = 0;
		r = sig_status_ignored(shifted, pad + n, &bits);
		ck_assert_msg(r == 0 || r == -EPROTO, "pad %zu: %d", pad, r);
		if (r == 0)
			ck_assert_msg(bits == UINT64_C(0x0000000400000002), "pad %zu", pad);
		found += r == 0;
	}
	/* Once the line is past the skipped start, it is found. */
	ck_assert_int_gt(found, 100);
}
END_TEST

/* The value is the last thing in the text, ending exactly at its end. */
START_TEST(status_sigign_at_the_very_end)
{
	const char text[] = "Name:\tx\nSigIgn:\t00000000000000ff\n";
	uint64_t bits = 0;

	ck_assert_int_eq(sig_status_ignored(text, sizeof(text) - 1, &bits), 0);
	ck_assert(bits == 0xff);
	ck_assert_int_eq(sig_status_ignored(text, sizeof(text) - 2, &bits), -EPROTO);
}
END_TEST

START_TEST(status_sigign_missing_or_malformed)
{
	char buf[4096];
	uint64_t bits;
	size_t n = status_text(buf, sizeof(buf), "000000000000000G", 16);

	ck_assert_int_eq(sig_status_ignored(buf, n, &bits), -EPROTO);
	n = status_text(buf, sizeof(buf), "00000000000000A0", 16);   /* upper case */
	ck_assert_int_eq(sig_status_ignored(buf, n, &bits), -EPROTO);
	n = status_text(buf, sizeof(buf), "00000000000000:0", 16);
	ck_assert_int_eq(sig_status_ignored(buf, n, &bits), -EPROTO);
	n = status_text(buf, sizeof(buf), "000000000000000", 16);    /* 15 digits */
	ck_assert_int_eq(sig_status_ignored(buf, n, &bits), -EPROTO);
	n = status_text(buf, sizeof(buf), "0000000000000000\xc3\xa9", 16);
	ck_assert_int_eq(sig_status_ignored(buf, n, &bits), -EPROTO);
	ck_assert_int_eq(sig_status_ignored("SigIgn:\t0000000000000000\n", 25, &bits), -EPROTO);
	ck_assert_int_eq(sig_status_ignored("", 0, &bits), -EPROTO);
	/* Another line's name containing the key's letters is not it. */
	n = (size_t)snprintf(buf, sizeof(buf), "Name:\tx\nXSigIgn:\t0000000000000001\n");
	ck_assert_int_eq(sig_status_ignored(buf, n, &bits), -EPROTO);
}
END_TEST

/* What this very process was started with, compared signal by signal. */
START_TEST(status_sigign_matches_this_process)
{
	char buf[4096];
	uint64_t bits = 0, want = 0;
	ssize_t n;
	FILE *f;
	struct sigaction old;

	signal(SIGUSR2, SIG_IGN);
	f = fopen("/proc/self/status", "r");
	ck_assert_ptr_nonnull(f);
	n = (ssize_t)fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(sig_status_ignored(buf, (size_t)n, &bits), 0);
	for (int s = 1; s < 32; s++)
		if (sigaction(s, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			want |= UINT64_C(1) << (s - 1);
	ck_assert(((bits & 0x7fffffff) == want));
	ck_assert(bits & (UINT64_C(1) << (SIGUSR2 - 1)));
	signal(SIGUSR2, SIG_DFL);
}
END_TEST

static Suite *signals_suite(void)
{
	Suite *s = suite_create("signals");
	TCase *p = tcase_create("parse");
	TCase *n = tcase_create("name");
	TCase *f = tcase_create("forward");
	TCase *st = tcase_create("status");

	tcase_add_test(p, parse_accepts_bare_name);
	tcase_add_test(p, parse_accepts_sig_prefix);
	tcase_add_test(p, parse_is_case_insensitive);
	tcase_add_test(p, parse_accepts_number);
	tcase_add_test(p, parse_zero_only_when_allowed);
	tcase_add_test(p, parse_accepts_realtime_names);
	tcase_add_test(p, parse_rejects_realtime_out_of_range);
	tcase_add_test(p, parse_rejects_number_above_max);
	tcase_add_test(p, parse_rejects_garbage);
	tcase_add_test(p, parse_accepts_alias_names);
	suite_add_tcase(s, p);

	tcase_add_test(n, name_of_classic_signal_has_sig_prefix);
	tcase_add_test(n, name_of_realtime_signal_is_relative);
	tcase_add_test(n, name_of_unnamed_number_is_sig_n);
	tcase_add_test(n, name_round_trips_through_parse_for_every_signal);
	suite_add_tcase(s, n);

	tcase_add_test(f, forwards_catchable_asynchronous_signals);
	tcase_add_test(f, forwards_every_realtime_signal);
	tcase_add_test(f, never_forwards_chld_kill_stop_and_reserved);
	tcase_add_test(f, takeover_set_has_chld_and_forwarded_signals);
	tcase_add_test(f, takeover_set_leaves_out_kill_and_stop);
	tcase_add_test(f, faults_are_told_apart);
	suite_add_tcase(s, f);

	tcase_add_test(st, status_sigign_parsed);
	tcase_add_test(st, status_sigign_every_digit_and_high_bits);
	tcase_add_test(st, status_sigign_found_at_every_alignment);
	tcase_add_test(st, status_sigign_short_status_found_or_refused);
	tcase_add_test(st, status_sigign_at_the_very_end);
	tcase_add_test(st, status_sigign_missing_or_malformed);
	tcase_add_test(st, status_sigign_matches_this_process);
	suite_add_tcase(s, st);
	return s;
}

int main(void)
{
	return run_suite(signals_suite(), KEEP_FORK_STATUS);
}
