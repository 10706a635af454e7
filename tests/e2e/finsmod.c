// SPDX-License-Identifier: GPL-2.0
/*
 * Guest helper: loads a module once, through finit_module().
 *
 *   finsmod FILE [PARAM...]     the parameters joined with spaces
 *
 * busybox's insmod retries a failed finit_module() with init_module(), so
 * a load the module refuses ran twice and logged every error line twice.
 * Like busybox's insmod, a failure prints "insmod: can't insert 'FILE':
 * REASON" and exits with the errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t len = 1;
	char *params;
	int fd, i, err;

	if (argc < 2) {
		fprintf(stderr, "usage: finsmod FILE [PARAM...]\n");
		return 2;
	}
	for (i = 2; i < argc; i++)
		len += strlen(argv[i]) + 1;
	params = calloc(1, len);
	if (!params)
		return ENOMEM;
	for (i = 2; i < argc; i++) {
		if (i > 2)
			strcat(params, " ");
		strcat(params, argv[i]);
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0)) {
		err = errno;
		fprintf(stderr, "insmod: can't insert '%s': %s\n", argv[1],
			strerror(err));
		return err & 0xff ? err & 0xff : 1;
	}
	close(fd);
	free(params);
	return 0;
}
