# crm_kpi -- CRM KPIs as PostgreSQL aggregates (PGXS build)

EXTENSION = crm_kpi
MODULE_big = crm_kpi
OBJS = \
	src/crm_kpi.o \
	src/survey.o \
	src/proportion.o \
	src/funnel.o \
	src/funnel_summary.o \
	src/survival.o \
	src/survival_curve.o \
	src/survival_sbg.o \
	src/clv.o \
	src/clv_model.o \
	src/retention.o \
	src/cohort.o \
	src/churn.o \
	src/pipeline.o \
	src/pipeline_stages.o \
	src/adoption.o

DATA = $(wildcard crm_kpi--*.sql)
DOCS = README.md

# pg_regress tests (sql/ and expected/); run by test/run on a throwaway cluster
REGRESS = survey survey_parallel survey_window \
	conversion conversion_parallel conversion_window \
	survival survival_parallel survival_window \
	clv clv_parallel \
	retention retention_parallel retention_window \
	pipeline pipeline_parallel
REGRESS_OPTS = --dbname=crm_kpi_regression

# Stricter warnings are for CI and developers: pass PG_CFLAGS=-Werror there,
# never in the shipped Makefile.
PG_CPPFLAGS = -I$(srcdir)/src

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# test/run asks for the test list
print-regress:
	@echo $(REGRESS)
.PHONY: print-regress
