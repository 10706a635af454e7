/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny TAP producer for the unit tests: "1..N", then "ok N - desc" or
 * "not ok N - desc" per check, diagnostics as "# ..." lines.  Run the
 * binaries with prove(1).
 *
 *	plan(3);		or no plan and done_testing() at the end
 *	ok(x == 1, "x is %d", 1);
 *	is_int(got, want, "desc");
 *	is_str(got, want, "desc");
 *	like(got, "substring", "desc");
 *	return done_testing();
 */
#ifndef FIXEDBAR_TAP_H
#define FIXEDBAR_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_planned = -1;
static int tap_run;
static int tap_failed;

static inline void plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static inline void diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void diag(const char *fmt, ...)
{
	char buf[2048];
	const char *c;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fputs("# ", stdout);
	for (c = buf; *c; c++) {
		fputc(*c, stdout);
		if (*c == '\n')
			fputs("# ", stdout);
	}
	fputc('\n', stdout);
	fflush(stdout);
}

static inline bool tap_vok(bool pass, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static inline bool tap_vok(bool pass, const char *fmt, va_list ap)
{
	char desc[1024];
	const char *c;

	tap_run++;
	if (!pass)
		tap_failed++;
	vsnprintf(desc, sizeof(desc), fmt, ap);
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	/* one line per test, and no accidental "# SKIP" directive */
	for (c = desc; *c; c++) {
		if (*c == '#')
			fputs("\\#", stdout);
		else if ((unsigned char)*c < 0x20 || *c == 0x7f)
			printf("\\x%02x", (unsigned int)(unsigned char)*c);
		else
			fputc(*c, stdout);
	}
	fputc('\n', stdout);
	fflush(stdout);
	return pass;
}

static inline bool ok(bool pass, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pass = tap_vok(pass, fmt, ap);
	va_end(ap);
	return pass;
}

/*
 * A known gap: "not ok N - desc # TODO reason" (or "ok ... # TODO" once it
 * passes).  prove reports it without failing the run; it is never a way to
 * hide a new failure, only one listed by name.
 */
static inline void todo(bool pass, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void todo(bool pass, const char *reason, const char *fmt, ...)
{
	char desc[1024];
	va_list ap;
	char *c;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	for (c = desc; *c; c++)
		if (*c == '#' || (unsigned char)*c < 0x20)
			*c = ' ';
	printf("%sok %d - %s # TODO %s\n", pass ? "" : "not ", ++tap_run, desc,
	       reason);
	fflush(stdout);
}

static inline bool is_int(long long got, long long want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline bool is_int(long long got, long long want, const char *fmt, ...)
{
	va_list ap;
	bool pass;

	va_start(ap, fmt);
	pass = tap_vok(got == want, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("got %lld, want %lld", got, want);
	return pass;
}

static inline bool is_str(const char *got, const char *want,
			  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline bool is_str(const char *got, const char *want,
			  const char *fmt, ...)
{
	va_list ap;
	bool pass;

	va_start(ap, fmt);
	pass = tap_vok(got && want && !strcmp(got, want), fmt, ap);
	va_end(ap);
	if (!pass)
		diag("got '%s', want '%s'", got ? got : "(null)",
		     want ? want : "(null)");
	return pass;
}

/* @got contains @sub */
static inline bool like(const char *got, const char *sub, const char *fmt,
			...) __attribute__((format(printf, 3, 4)));
static inline bool like(const char *got, const char *sub, const char *fmt,
			...)
{
	va_list ap;
	bool pass;

	va_start(ap, fmt);
	pass = tap_vok(got && sub && strstr(got, sub), fmt, ap);
	va_end(ap);
	if (!pass)
		diag("'%s' does not contain '%s'", got ? got : "(null)",
		     sub ? sub : "(null)");
	return pass;
}

/* Exit status for main(): 0 only when every check ran and passed. */
static inline int done_testing(void)
{
	if (tap_planned < 0) {
		printf("1..%d\n", tap_run);
	} else if (tap_run != tap_planned) {
		diag("planned %d tests but ran %d", tap_planned, tap_run);
		return 1;
	}
	if (tap_failed)
		diag("failed %d of %d tests", tap_failed, tap_run);
	return tap_failed ? 1 : 0;
}

#endif /* FIXEDBAR_TAP_H */
