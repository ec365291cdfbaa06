/* test_safefile: what a dropped child could plant at vigil's file names
 * (symlinks, FIFOs, directories, hard links) is refused or replaced,
 * never followed, and nothing blocks. */
#include "safefile.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check_main.h"

static char dir[64], path[128], victim[128];

static void put(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static const char *get(const char *p)
{
	static char buf[256];
	FILE *f = fopen(p, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void setup(void)
{
	strcpy(dir, "/tmp/vigil-safefile-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	put(victim, "secret\n");
	/* A test that hangs must fail, not wait for CK_DEFAULT_TIMEOUT. */
	alarm(10);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
	closedir(d);
	return n;
}

START_TEST(open_accepts_a_new_or_regular_file)
{
	struct safe_dest d;

	ck_assert_int_eq(safefile_open(&d, path, false), 0);
	ck_assert(d.ready);
	ck_assert_int_eq(d.fd, -1);
	put(path, "old\n");
	ck_assert_int_eq(safefile_open(&d, path, false), 0);
}
END_TEST

START_TEST(open_refuses_what_is_not_a_file)
{
	struct safe_dest d;
	char sub[160];

	ck_assert_int_eq(symlink(victim, path), 0);
	ck_assert_int_eq(safefile_open(&d, path, true), -SF_SYMLINK);
	ck_assert(!d.ready);
	unlink(path);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(safefile_open(&d, path, true), -SF_FIFO);
	unlink(path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(safefile_open(&d, path, true), -EISDIR);
	snprintf(sub, sizeof(sub), "%s/", path);
	ck_assert_int_eq(safefile_open(&d, sub, true), -EISDIR);
	snprintf(sub, sizeof(sub), "%s/missing/out", dir);
	ck_assert_int_eq(safefile_open(&d, sub, true), -SF_NOFOLDER);
	ck_assert_int_eq(safefile_open(&d, "", false), -SF_EMPTY);
	ck_assert_int_eq(safefile_open(&d, "/dev/null", false), -SF_DEVICE);
}
END_TEST

START_TEST(open_checks_fd_forms_and_hides_them_from_the_child)
{
	struct safe_dest d;
	int fd = open("/dev/null", O_WRONLY), own = open("/dev/null", O_WRONLY | O_CLOEXEC);
	char spec[32];

	ck_assert_int_ge(fd, 3);
	ck_assert_int_eq(safefile_open(&d, "fd:abc", true), -SF_BADFD);
	ck_assert_int_eq(safefile_open(&d, "fd:999", true), -SF_NOTINHERITED);
	/* close-on-exec already set: vigil's own fd, not an inherited one */
	snprintf(spec, sizeof(spec), "fd:%d", own);
	ck_assert_int_eq(safefile_open(&d, spec, true), -SF_NOTINHERITED);
	snprintf(spec, sizeof(spec), "fd:%d", fd);
	ck_assert_int_eq(safefile_open(&d, spec, true), 0);
	ck_assert_int_eq(d.fd, fd);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	ck_assert_int_eq(safefile_open(&d, "-", true), 0);
	ck_assert_int_eq(d.fd, 2);
	ck_assert_int_eq(safefile_open(&d, "/dev/stdout", true), 0);
	ck_assert_int_eq(d.fd, 1);
	ck_assert_int_eq(safefile_open(&d, "/dev/null", true), 0);
	ck_assert_int_ge(d.fd, 3);
	ck_assert_int_eq(safefile_write(&d, "x\n", 2), 0);
	close(fd);
	close(own);
}
END_TEST

START_TEST(write_replaces_the_file_and_leaves_no_temporary)
{
	struct safe_dest d;

	put(path, "a much longer old content\n");
	ck_assert_int_eq(safefile_open(&d, path, false), 0);
	ck_assert_int_eq(safefile_write(&d, "new\n", 4), 0);
	ck_assert_str_eq(get(path), "new\n");
	ck_assert_int_eq(entries(), 2);   /* out, victim */
}
END_TEST

/* The child plants after vigil checked the name at start. */
START_TEST(write_refuses_a_symlink_planted_later)
{
	struct safe_dest d;

	ck_assert_int_eq(safefile_open(&d, path, false), 0);
	ck_assert_int_eq(symlink(victim, path), 0);
	ck_assert_int_eq(safefile_write(&d, "pwned\n", 6), -SF_SYMLINK);
	ck_assert_str_eq(get(victim), "secret\n");
	ck_assert_int_eq(entries(), 2);
}
END_TEST

START_TEST(write_refuses_a_fifo_or_directory_planted_later_without_blocking)
{
	struct safe_dest d;

	ck_assert_int_eq(safefile_open(&d, path, true), 0);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(safefile_write(&d, "x\n", 2), -SF_FIFO);
	unlink(path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(safefile_write(&d, "x\n", 2), -EISDIR);
}
END_TEST

/* A hard link to a root file at the name is replaced, not written into. */
START_TEST(write_replaces_a_hard_link_instead_of_writing_into_it)
{
	struct safe_dest d;

	ck_assert_int_eq(safefile_open(&d, path, false), 0);
	ck_assert_int_eq(link(victim, path), 0);
	ck_assert_int_eq(safefile_write(&d, "report\n", 7), 0);
	ck_assert_str_eq(get(victim), "secret\n");
	ck_assert_str_eq(get(path), "report\n");
}
END_TEST

/* The folder was resolved at start: swapping it for a symlink later does
 * not send the write elsewhere. */
START_TEST(write_goes_to_the_folder_opened_at_start)
{
	struct safe_dest d;
	char sub[160], moved[160], target[160];

	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(moved, sizeof(moved), "%s/moved", dir);
	snprintf(target, sizeof(target), "%s/sub/out", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(safefile_open(&d, target, false), 0);
	ck_assert_int_eq(rename(sub, moved), 0);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(safefile_write(&d, "r\n", 2), 0);
	ck_assert_int_eq(access(target, F_OK), -1);
	snprintf(target, sizeof(target), "%s/moved/out", dir);
	ck_assert_str_eq(get(target), "r\n");
}
END_TEST

/* A child that set O_NONBLOCK on a shared pipe and filled it: the write
 * waits for the reader instead of losing the text. */
START_TEST(write_to_a_full_nonblocking_pipe_waits_for_the_reader)
{
	struct safe_dest d;
	int p[2], status;
	char spec[32], junk[4096];
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
	memset(junk, 'j', sizeof(junk));
	while (write(p[1], junk, sizeof(junk)) > 0)
		;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char buf[4096];
		ssize_t n;
		int seen = 0;

		close(p[1]);
		usleep(200000);
		while ((n = read(p[0], buf, sizeof(buf))) > 0)
			seen |= memchr(buf, 'R', (size_t)n) != NULL;
		_exit(seen ? 0 : 1);
	}
	close(p[0]);
	snprintf(spec, sizeof(spec), "fd:%d", p[1]);
	ck_assert_int_eq(safefile_open(&d, spec, true), 0);
	ck_assert_int_eq(safefile_write(&d, "REPORT\n", 7), 0);
	close(p[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

START_TEST(read_refuses_symlink_fifo_directory_without_blocking)
{
	struct safe_dest d;
	char buf[64];
	size_t n;

	ck_assert_int_eq(safefile_open(&d, path, false), 0);
	ck_assert_int_eq(safefile_read(&d, buf, sizeof(buf), &n), -ENOENT);
	ck_assert_int_eq(symlink(victim, path), 0);
	ck_assert_int_eq(safefile_read(&d, buf, sizeof(buf), &n), -SF_SYMLINK);
	unlink(path);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(safefile_read(&d, buf, sizeof(buf), &n), -SF_FIFO);
	unlink(path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(safefile_read(&d, buf, sizeof(buf), &n), -EISDIR);
	rmdir(path);
	put(path, "runs=1\n");
	ck_assert_int_eq(safefile_read(&d, buf, sizeof(buf), &n), 0);
	ck_assert_str_eq(buf, "runs=1\n");
	ck_assert_uint_eq(n, 7);
	ck_assert_int_eq(safefile_read(&d, buf, 4, &n), -EFBIG);
}
END_TEST

/* In a child whose fsync fails (EIO, from a seccomp filter): the exit
 * status is safefile_write's result, negated. */
static int write_where_fsync_fails(bool no_sync)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_fsync, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EIO),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	struct safe_dest d;
	int st;
	pid_t c = fork();

	ck_assert_int_ge(c, 0);
	if (c == 0) {
		if (safefile_open(&d, path, false) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
			_exit(100);
		d.no_sync = no_sync;
		_exit(-safefile_write(&d, "ok\n", 3));
	}
	ck_assert_int_eq(waitpid(c, &st, 0), c);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* The health file is replaced after every probe: no flush may put vigil
 * to sleep on the disk for it. Others (the state file) are flushed. */
START_TEST(write_without_sync_never_calls_fsync)
{
	ck_assert_int_eq(write_where_fsync_fails(false), EIO);
	ck_assert_int_eq(write_where_fsync_fails(true), 0);
	ck_assert_str_eq(get(path), "ok\n");
}
END_TEST

START_TEST(strerror_names_each_refusal)
{
	ck_assert_ptr_nonnull(strstr(safefile_strerror(SF_SYMLINK), "symbolic link"));
	ck_assert_ptr_nonnull(strstr(safefile_strerror(SF_FIFO), "FIFO"));
	ck_assert_str_eq(safefile_strerror(EISDIR), strerror(EISDIR));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("safefile");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, open_accepts_a_new_or_regular_file);
	tcase_add_test(tc, open_refuses_what_is_not_a_file);
	tcase_add_test(tc, open_checks_fd_forms_and_hides_them_from_the_child);
	tcase_add_test(tc, write_replaces_the_file_and_leaves_no_temporary);
	tcase_add_test(tc, write_refuses_a_symlink_planted_later);
	tcase_add_test(tc, write_refuses_a_fifo_or_directory_planted_later_without_blocking);
	tcase_add_test(tc, write_replaces_a_hard_link_instead_of_writing_into_it);
	tcase_add_test(tc, write_goes_to_the_folder_opened_at_start);
	tcase_add_test(tc, write_to_a_full_nonblocking_pipe_waits_for_the_reader);
	tcase_add_test(tc, read_refuses_symlink_fifo_directory_without_blocking);
	tcase_add_test(tc, write_without_sync_never_calls_fsync);
	tcase_add_test(tc, strerror_names_each_refusal);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
