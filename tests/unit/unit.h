/*
 * unit.h: the smallest test harness that does the job, for the C unit tests
 * of pure modules (no PHP, no server). A failed CHECK prints its file, line
 * and expression and counts; the binary exits 1 when any failed.
 */
#ifndef KS_UNIT_H
#define KS_UNIT_H

#include <stdio.h>

extern int ks_unit_checks;
extern int ks_unit_failures;

static inline int ks_unit_check(int ok, const char *expr, const char *file, int line)
{
	ks_unit_checks++;
	if (!ok) {
		ks_unit_failures++;
		fprintf(stderr, "FAIL %s:%d: %s\n", file, line, expr);
	}
	return ok;
}

#define CHECK(cond) ks_unit_check((cond) ? 1 : 0, #cond, __FILE__, __LINE__)

#endif
