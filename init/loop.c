/* loop: the single event loop. Everything vigil waits for is a file
 * descriptor in one poll set (the signalfd, and the supervisor's timerfd),
 * polled without timeout: an idle vigil is never woken. */
#include "vigil.h"

#include "log.h"
#include "signals.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void trace_signal(const char *event, int sig, const char *key, long long val)
{
	char name[16];
	struct trace_field f[2] = {
		{ "signal", sig_name(sig, name, sizeof(name)), 0 },
		{ key, NULL, val },
	};

	trace_event(event, f, 2);
}

int forward_signal(struct vigil *v, int sig)
{
	int to = options_target(v->opt, sig);
	pid_t target;

	if (to == 0) {
		trace_signal("signal_dropped", sig, "rewrite", 0);
		return 0;
	}
	if (v->child <= 0) {
		/* Reaped or not started: its pid may belong to someone else now. */
		trace_signal("signal_dropped", to, "no_child", 1);
		return 0;
	}
	target = v->opt->group ? -v->child : v->child;
	if (kill(target, to) < 0) {
		int err = errno;

		/* The child may have left its group; it is still ours. */
		if (target < 0 && err == ESRCH && kill(v->child, to) == 0) {
			target = v->child;
		} else {
			if (err != ESRCH)
				log_errno(err, "forward signal %d to %d", to, (int)target);
			return -err;
		}
	}
	trace_signal("signal_forwarded", to, "to", target);
	if (v->ext && v->ext->on_forwarded)
		v->ext->on_forwarded(v, to);
	return 0;
}

static bool is_terminating(int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == SIGQUIT || sig == SIGHUP;
}

/* A SIGPIPE from writing a log line to a pipe nobody reads (or the
 * report to a closed fd) is queued as sent by vigil to itself: nobody
 * asked for it to reach the child. Only vigil has its own pid in its
 * namespace, so a sender from outside cannot look like this. A signal
 * vigil means to forward to itself (a parent death caught late) is sent
 * with sigqueue, SI_QUEUE, and is not one of these. */
static bool raised_by_self(const struct signalfd_siginfo *si)
{
	return (si->ssi_code == SI_USER || si->ssi_code == SI_TKILL) &&
	       (pid_t)si->ssi_pid == getpid();
}

static void handle_signal(struct vigil *v, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	if (sig == SIGCHLD) {
		reap_all(v);
		return;
	}
	/* Not traced: stderr may be the very pipe that raised it. */
	if (raised_by_self(si))
		return;
	/* A fault the kernel queued instead of forcing (a memory error
	 * reported to vigil, si_code > 0) is vigil's, not the child's;
	 * only a user-sent one (si_code <= 0) is forwarded. */
	if (sig_is_fault(sig) && si->ssi_code > 0) {
		trace_signal("signal_dropped", sig, "kernel_code", si->ssi_code);
		return;
	}
	if (log_trace) {
		char name[16];
		struct trace_field f[3] = {
			{ "signal", sig_name(sig, name, sizeof(name)), 0 },
			{ "sender_pid", NULL, (long long)si->ssi_pid },
			{ "sender_uid", NULL, (long long)si->ssi_uid },
		};

		trace_event("signal_received", f, 3);
	}
	if (is_terminating(sig)) {
		v->term_sig = *si;
		v->have_term_sig = true;
	}
	if (v->opt->pause) {
		if (sig == SIGTERM || sig == SIGINT) {
			v->exit_code = 0;
			v->stop = true;
		}
		return;
	}
	if (jobctl_on_signal(v, sig))
		return;
	if (v->ext && v->ext->on_signal && v->ext->on_signal(v, si))
		return;
	forward_signal(v, sig);
}

static int read_signals(struct vigil *v)
{
	struct signalfd_siginfo si[16];
	ssize_t n = read(v->sfd, si, sizeof(si));

	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		log_errno(errno, "read signalfd");
		return -1;
	}
	for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++)
		handle_signal(v, &si[i]);
	jobctl_stop_if_due(v);
	return 0;
}

int loop_run(struct vigil *v)
{
	/* A child that died before we got here left a pending SIGCHLD, and
	 * one that exited while signals were merged is caught by reap_all. */
	while (!v->stop) {
		struct pollfd pfd[1 + LOOP_EXT_FDS] = { { .fd = v->sfd, .events = POLLIN } };
		int n = v->ext && v->ext->poll_fds ? v->ext->poll_fds(v, pfd + 1) : 0;

		/* With nothing but signals to wait for, a blocking read is
		 * the whole wait: one system call less on every wake. */
		if (n <= 0) {
			if (read_signals(v) < 0)
				return EXIT_INTERNAL;
			continue;
		}
		if (poll(pfd, (nfds_t)(1 + n), -1) < 0) {
			if (errno == EINTR)
				continue;
			log_errno(errno, "poll");
			return EXIT_INTERNAL;
		}
		if (pfd[0].revents && read_signals(v) < 0)
			return EXIT_INTERNAL;
		if (!v->stop)
			v->ext->on_fds(v, pfd + 1, n);
	}
	return 0;
}
