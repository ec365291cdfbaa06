/* probe: start, watch, time out and collect one health probe; see
 * probe.h. A command's exec failure comes back through a CLOEXEC pipe
 * read when the probe is reaped (so it has its own message, and vigil
 * never waits for the exec); a network check is a plain fork that never
 * execs. */
#include "probe.h"

#include "netcheck.h"
#include "signals.h"
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void probe_run_init(struct probe_run *r)
{
	memset(r, 0, sizeof(*r));
	r->out_fd = -1;
	r->out_hold = -1;
	r->status_fd = -1;
}

struct hook_ctx {
	struct child_plan *plan;
	int out;
};

/* In the probe: stdin from /dev/null, stdout and stderr to the pipe. */
static int redirect(int out, struct spawn_error *e)
{
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (null > 0) {
		(void)dup2(null, STDIN_FILENO);
		close(null);
	} else if (null == 0) {
		(void)fcntl(STDIN_FILENO, F_SETFD, 0);
	}
	if (dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0) {
		e->stage = STAGE_SETUP;
		e->err = errno;
		snprintf(e->what, sizeof(e->what), "redirect the probe's output");
		return -1;
	}
	return 0;
}

static int probe_hook(void *ctx, struct spawn_error *e)
{
	struct hook_ctx *c = ctx;

	if (redirect(c->out, e) < 0)
		return -1;
	return child_plan_run(c->plan, e);
}

static void fail_now(struct probe_outcome *o, const char *fmt, const char *a, int err)
{
	memset(o, 0, sizeof(*o));
	o->result = PR_FAIL;
	o->exit_code = -1;
	snprintf(o->error, sizeof(o->error), fmt, a, strerror(err));
}

/* The forked network probe: never returns. */
static void net_child(const struct probe_spec *p, struct child_plan *plan, int out)
{
	struct spawn_error e = { 0 };
	char msg[PROBE_ERROR_MAX];
	int r;

	(void)setsid();
	if (redirect(out, &e) < 0)
		_exit(2);
	close(out);
	if (child_plan_run(plan, &e) < 0) {
		dprintf(STDOUT_FILENO, "%s: %s\n", e.what, strerror(e.err));
		_exit(2);
	}
	r = probe_net_check(p, msg, sizeof(msg));
	dprintf(STDOUT_FILENO, "%s\n", msg);
	_exit(r == 0 ? 0 : 1);
}

int probe_start(struct probe_run *r, const struct probe_spec *p, struct child_plan *plan,
		const char *cwd, uint64_t now_ns, struct probe_outcome *o)
{
	struct hook_ctx ctx = { plan, -1 };
	int pipefd[2];
	pid_t pid;

	probe_run_init(r);
	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0) {
		fail_now(o, "%s: %s", "create the probe's output pipe", errno);
		return -1;
	}
	/* Only the read end is vigil's to poll; the probe may block. */
	(void)fcntl(pipefd[1], F_SETFL, 0);
	ctx.out = pipefd[1];
	if (p->kind == PROBE_CMD) {
		/* Not waiting for the exec: its failure, if any, is read when
		 * the probe is reaped, in the wake that collects it anyway. */
		struct spawn_cfg cfg = {
			.argv = p->argv,
			.new_pgrp = true,
			.new_session = true,
			.no_ctty = true,
			.cwd = cwd,
			.hook = probe_hook,
			.hook_ctx = &ctx,
			.exec_status = &r->status_fd,
		};
		struct spawn_error e;

		if (spawn_child(&cfg, &pid, &e) < 0) {
			close(pipefd[0]);
			close(pipefd[1]);
			fail_now(o, "%s: %s", e.what, e.err);
			return -1;
		}
	} else {
		pid = fork();
		if (pid < 0) {
			fail_now(o, "%s: %s", "fork the probe", errno);
			close(pipefd[0]);
			close(pipefd[1]);
			return -1;
		}
		if (pid == 0)
			net_child(p, plan, pipefd[1]);
	}
	r->net = p->kind != PROBE_CMD;
	r->pid = pid;
	r->out_fd = pipefd[0];
	r->out_hold = pipefd[1];
	r->started_ns = now_ns;
	return 0;
}

int probe_poll_fd(const struct probe_run *r)
{
	return r->net ? -1 : r->out_fd;
}

static void keep_tail(struct probe_run *r, const char *buf, size_t n)
{
	if (n >= PROBE_OUTPUT_MAX) {
		memcpy(r->tail, buf + n - PROBE_OUTPUT_MAX, PROBE_OUTPUT_MAX);
		r->tail_len = PROBE_OUTPUT_MAX;
		return;
	}
	if (r->tail_len + n > PROBE_OUTPUT_MAX) {
		size_t drop = r->tail_len + n - PROBE_OUTPUT_MAX;

		memmove(r->tail, r->tail + drop, r->tail_len - drop);
		r->tail_len -= drop;
	}
	memcpy(r->tail + r->tail_len, buf, n);
	r->tail_len += n;
}

void probe_read(struct probe_run *r)
{
	char buf[4096];
	ssize_t n;

	if (r->out_fd < 0)
		return;
	/* Bounded: a chatty probe cannot keep vigil here for ever. */
	for (int i = 0; i < 16; i++) {
		n = read(r->out_fd, buf, sizeof(buf));
		if (n > 0) {
			keep_tail(r, buf, (size_t)n);
			continue;
		}
		if (n < 0 && (errno == EINTR))
			continue;
		if (n == 0 || errno != EAGAIN) {
			close(r->out_fd);
			r->out_fd = -1;
		}
		return;
	}
}

void probe_kill(struct probe_run *r, bool timed_out)
{
	if (!r->pid)
		return;
	if (timed_out)
		r->timed_out = true;
	else
		r->abandoned = true;
	/* The session's id is the probe's pid: its whole group goes. */
	if (kill(-r->pid, SIGKILL) < 0)
		(void)kill(r->pid, SIGKILL);
}

/* A failure record in the exec-status pipe: the command never ran. */
static bool never_ran(struct probe_run *r, struct probe_outcome *o)
{
	struct spawn_error e;
	int fd = r->status_fd;

	if (fd < 0)
		return false;
	r->status_fd = -1;
	if (!spawn_read_status(fd, &e))
		return false;
	fail_now(o, "%s: %s", e.what, e.err);
	return true;
}

static void outcome_of(struct probe_run *r, int status, uint64_t timeout_ms, struct probe_outcome *o)
{
	char name[16];

	if (never_ran(r, o))
		return;
	o->exit_code = -1;
	o->error[0] = '\0';
	if (r->timed_out) {
		o->result = PR_TIMEOUT;
		snprintf(o->error, sizeof(o->error), "timed out after %llu ms (killed)",
			 (unsigned long long)timeout_ms);
	} else if (WIFEXITED(status)) {
		o->exit_code = WEXITSTATUS(status);
		o->result = o->exit_code == 0 ? PR_OK : PR_FAIL;
		const char *nl = memchr(r->tail, '\n', r->tail_len);

		if (o->exit_code && r->net && r->tail_len)
			snprintf(o->error, sizeof(o->error), "%.*s",
				 (int)(nl ? (size_t)(nl - r->tail) : r->tail_len), r->tail);
		else if (o->exit_code)
			snprintf(o->error, sizeof(o->error), "exit code %d", o->exit_code);
	} else {
		o->result = PR_FAIL;
		snprintf(o->error, sizeof(o->error), "killed by %s",
			 sig_name(WTERMSIG(status), name, sizeof(name)));
	}
}

bool probe_reaped(struct probe_run *r, pid_t pid, int status, uint64_t now_ns,
		  uint64_t timeout_ms, struct probe_outcome *o, bool *abandoned)
{
	if (!r->pid || pid != r->pid)
		return false;
	/* What it wrote is in the pipe by now; a grandchild still holding
	 * the pipe is not waited for. */
	probe_read(r);
	if (r->out_fd >= 0) {
		close(r->out_fd);
		r->out_fd = -1;
	}
	if (r->out_hold >= 0) {
		close(r->out_hold);
		r->out_hold = -1;
	}
	/* Leftovers of its session: the id cannot name anyone else while one
	 * of them lives. */
	(void)kill(-r->pid, SIGKILL);
	*abandoned = r->abandoned;
	outcome_of(r, status, timeout_ms, o);
	o->duration_ms = (now_ns - r->started_ns) / 1000000u;
	memcpy(o->output, r->tail, r->tail_len);
	o->output[r->tail_len] = '\0';
	r->pid = 0;
	return true;
}

/* ---- network checks (in the forked probe) ------------------------------- */

int probe_http_status(const char *line, int *code)
{
	*code = net_http_status(line);
	return *code >= 200 && *code < 400 ? 0 : -1;
}

static int http_check(const struct probe_spec *p, int fd, char *msg, size_t len)
{
	char line[256];
	int r = net_http_get(fd, p->net.path, p->net.authority, -1, line, sizeof(line)), code;

	if (r) {
		snprintf(msg, len, "GET http://%s%s: %s", p->net.authority, p->net.path, strerror(-r));
		return -1;
	}
	if (probe_http_status(line, &code) == 0) {
		snprintf(msg, len, "GET http://%s%s: %s", p->net.authority, p->net.path, line);
		return 0;
	}
	if (code < 0)
		snprintf(msg, len, "GET http://%s%s: no HTTP status line in the answer", p->net.authority, p->net.path);
	else
		snprintf(msg, len, "GET http://%s%s: %s", p->net.authority, p->net.path, line);
	return -1;
}

int probe_net_check(const struct probe_spec *p, char *msg, size_t len)
{
	/* No bound of its own: the probe's timeout kills the process. */
	int fd = net_connect(p->net.host, p->net.port, -1, msg, len), r = 0;

	if (fd < 0)
		return -1;
	if (p->kind == PROBE_HTTP)
		r = http_check(p, fd, msg, len);
	else
		snprintf(msg, len, "connected to %s", p->net.authority);
	close(fd);
	return r;
}
