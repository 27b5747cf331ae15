/*
 * ks_metrics.h: keepsake_metrics(), which belongs to neither part: it prints
 * what each part's PHP functions report (metrics.c says how), so it compiles
 * whichever parts are built and includes neither part's headers.
 */
#ifndef KS_METRICS_H
#define KS_METRICS_H

#include "php.h"

/* Registers keepsake_metrics(); called from the module's MINIT. */
zend_result ks_metrics_minit(int type);

#endif
