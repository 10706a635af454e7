// SPDX-License-Identifier: GPL-2.0
/*
 * Guest helper: reads or writes a string through the mmap of a PCI resource
 * file (/sys/bus/pci/devices/<bdf>/resourceN), i.e. through the BAR where
 * the kernel now has it.
 *
 *   mm FILE read OFFSET LEN       prints LEN bytes at OFFSET
 *   mm FILE write OFFSET STRING   stores STRING and its NUL at OFFSET
 *   mm FILE read32 OFFSET N       prints N dwords at OFFSET in hex, each one
 *                                 32-bit load (registers that take no byte
 *                                 reads, e.g. CXL component registers)
 *
 * Strings go through the BAR one byte access at a time: libc's memcpy and
 * strnlen make wide unaligned accesses, which device memory may fault
 * (newer QEMU on arm64 does, as hardware does).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t off, len, i;
	char *p;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: mm FILE read|read32|write OFF LEN|N|STR\n");
		return 2;
	}
	off = strtoul(argv[3], NULL, 0);
	if (!strcmp(argv[2], "read32"))
		len = 4 * strtoul(argv[4], NULL, 0);
	else if (!strcmp(argv[2], "read"))
		len = strtoul(argv[4], NULL, 0);
	else
		len = strlen(argv[4]) + 1;
	fd = open(argv[1], O_RDWR | O_SYNC);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	p = mmap(NULL, off + len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (!strcmp(argv[2], "read32")) {
		for (i = 0; i < len; i += 4)
			printf("%08x\n", *(volatile unsigned int *)(p + off + i));
	} else if (strcmp(argv[2], "read")) {
		for (i = 0; i < len; i++)
			((volatile char *)p)[off + i] = argv[4][i];
	} else {
		for (i = 0; i < len; i++) {
			char c = ((volatile char *)p)[off + i];

			if (!c)
				break;
			putchar(c);
		}
		putchar('\n');
	}
	munmap(p, off + len);
	close(fd);
	return 0;
}
