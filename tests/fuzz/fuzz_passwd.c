/* fuzz_passwd: the /etc/passwd and /etc/group readers. The input is
 * "PASSWD\0GROUP\0SPEC": each line goes through the line parsers, and the
 * whole files, held in memfds (no file is written), through user_resolve
 * for SPEC, as --user would read them. */
#include "passwd.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int pw_fd = -1, gr_fd = -1;

/* Make fd hold exactly len bytes of p. */
static int fill(int fd, const char *p, size_t len)
{
	if (ftruncate(fd, 0) < 0)
		return -1;
	return pwrite(fd, p, len, 0) == (ssize_t)len ? 0 : -1;
}

static void each_line(const char *p, size_t len, int is_group)
{
	struct pw_entry pe;
	struct gr_entry ge;
	char *line = malloc(len + 1);

	if (!line)
		return;
	while (len) {
		const char *nl = memchr(p, '\n', len);
		size_t n = nl ? (size_t)(nl - p) + 1 : len;

		memcpy(line, p, n);
		line[n] = '\0';
		if (is_group)
			group_parse_line(line, &ge);
		else
			passwd_parse_line(line, &pe);
		p += n;
		len -= n;
	}
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data, *pw, *gr, *spec_in;
	size_t pw_len, gr_len, spec_len;
	char pw_path[64], gr_path[64], err[512], *spec, user[VIGIL_NAME_MAX + 1], group[VIGIL_NAME_MAX + 1];
	struct user_target t;
	const char *z;

	if (pw_fd < 0) {
		pw_fd = memfd_create("passwd", MFD_CLOEXEC);
		gr_fd = memfd_create("group", MFD_CLOEXEC);
		if (pw_fd < 0 || gr_fd < 0)
			abort();
	}
	pw = in;
	z = memchr(pw, '\0', size);
	pw_len = z ? (size_t)(z - pw) : size;
	gr = z ? z + 1 : in + size;
	z = memchr(gr, '\0', size - (size_t)(gr - in));
	gr_len = z ? (size_t)(z - gr) : size - (size_t)(gr - in);
	spec_in = z ? z + 1 : in + size;
	spec_len = size - (size_t)(spec_in - in);

	each_line(pw, pw_len, 0);
	each_line(gr, gr_len, 1);
	spec = strndup(spec_in, spec_len);
	if (!spec)
		return 0;
	user_spec_split(spec, user, sizeof(user), group, sizeof(group));
	if (fill(pw_fd, pw, pw_len) == 0 && fill(gr_fd, gr, gr_len) == 0) {
		snprintf(pw_path, sizeof(pw_path), "/proc/self/fd/%d", pw_fd);
		snprintf(gr_path, sizeof(gr_path), "/proc/self/fd/%d", gr_fd);
		err[0] = '\0';
		user_resolve(spec, pw_path, gr_path, &t, err, sizeof(err));
		if (!memchr(err, '\0', sizeof(err)))
			abort();
		user_target_free(&t);
	}
	free(spec);
	return 0;
}
