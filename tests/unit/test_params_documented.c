/*
 * test_params_documented.c: every save_path parameter of the two tables
 * (redis/params.h: the connection parameters, their aliases and the
 * ignored phpredis ones; session/ks_sess_params.h: the session layer's own
 * parameters) and every keepsake.session.* setting that table generates is
 * named in docs/ between backticks ("`tls_ca`", "`keepsake.session.prefix`",
 * or as "`name=..." in an example). Adding a row without its line in the
 * docs fails here. tests/module/ini_defaults.phpt checks every INI entry
 * PHP really registered (ini_get_all()) against docs/, with its default.
 *
 * Reads every docs/ (every .md file) from the working directory (scripts/unit runs in
 * the tree's root). Built and run by scripts/unit.
 */
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "redis/params.h"
#include "session/ks_sess_params.h"

int ks_unit_checks;
int ks_unit_failures;

#define NAME_ROW(name, field, kind, bit, lo, hi, def, ident) name,
#define NAME_ALIAS(alias, name) alias,
#define NAME_IGNORED(name) name,
#define NAME_OWN_C(setting, kind, def, field)
#define NAME_OWN_O(name, kind, def) #name,
static const char *const params[] = {
	KS_REDIS_PARAM_TABLE(NAME_ROW)
	KS_REDIS_PARAM_ALIASES(NAME_ALIAS)
	KS_REDIS_PARAM_IGNORED(NAME_IGNORED)
	KS_SESS_PARAM_TABLE(NAME_OWN_C, NAME_OWN_O)
};

#define INI_C(setting, kind, def, field) "keepsake.session." #setting,
#define INI_O(name, kind, def) "keepsake.session." #name,
static const char *const settings[] = { KS_SESS_PARAM_TABLE(INI_C, INI_O) };

/* All of docs/ (every .md file), concatenated (malloc'd). */
static char *read_docs(void)
{
	DIR *dir = opendir("docs");
	struct dirent *de;
	char *all = calloc(1, 1), path[512];
	size_t len = 0;

	if (!dir || !all) {
		return NULL;
	}
	while ((de = readdir(dir)) != NULL) {
		size_t n = strlen(de->d_name);
		FILE *f;
		char buf[65536];
		size_t got;

		if (n < 4 || strcmp(de->d_name + n - 3, ".md")) {
			continue;
		}
		snprintf(path, sizeof(path), "docs/%s", de->d_name);
		if (!(f = fopen(path, "r"))) {
			continue;
		}
		while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
			char *grown = realloc(all, len + got + 1);
			if (!grown) {
				fclose(f);
				closedir(dir);
				free(all);
				return NULL;
			}
			all = grown;
			memcpy(all + len, buf, got);
			len += got;
			all[len] = '\0';
		}
		fclose(f);
	}
	closedir(dir);
	return all;
}

/* True when docs hold "`name`" or "`name=" (an example). */
static bool documented(const char *docs, const char *name)
{
	char a[128], b[128];

	snprintf(a, sizeof(a), "`%s`", name);
	snprintf(b, sizeof(b), "`%s=", name);
	return strstr(docs, a) || strstr(docs, b);
}

int main(void)
{
	char *docs = read_docs();
	size_t i;

	if (!CHECK(docs != NULL && strlen(docs) > 1000)) {
		fprintf(stderr, "test_params_documented: cannot read docs/ (every .md file) (run from the tree's root)\n");
		return 1;
	}
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		if (!CHECK(documented(docs, params[i]))) {
			fprintf(stderr, "  save_path parameter '%s' is not documented in docs/\n", params[i]);
		}
	}
	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		if (!CHECK(documented(docs, settings[i]))) {
			fprintf(stderr, "  setting '%s' is not documented in docs/\n", settings[i]);
		}
	}
	free(docs);
	printf("test_params_documented: %d checks, %d failed\n", ks_unit_checks, ks_unit_failures);
	return ks_unit_failures ? 1 : 0;
}
