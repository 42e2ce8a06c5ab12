# crm_kpi -- CRM KPIs as PostgreSQL aggregates (PGXS build)

EXTENSION = crm_kpi
MODULE_big = crm_kpi
# One KPI family per directory of src/: its C files, its header and its SQL
# fragment.  src/common/ holds the helpers every family shares.
FAMILIES = survey conversion survival clv retention pipeline adoption

OBJS = \
	src/common/crm_kpi.o \
	src/common/statistics.o \
	src/common/optimize.o \
	src/common/textio.o \
	src/common/numeric_sum.o \
	src/common/summary.o \
	src/common/keyed_table.o \
	src/common/entity_ids.o \
	src/common/expanded.o \
	src/common/record_field.o \
	src/survey/survey.o \
	src/conversion/proportion.o \
	src/conversion/funnel.o \
	src/conversion/funnel_unordered.o \
	src/conversion/funnel_summary.o \
	src/conversion/funnel_report.o \
	src/conversion/funnel_time.o \
	src/conversion/sequence.o \
	src/conversion/funnel_breakdown.o \
	src/survival/survival.o \
	src/survival/survival_curve.o \
	src/survival/survival_sbg.o \
	src/survival/survival_tidy.o \
	src/survival/survival_tests.o \
	src/survival/coxph.o \
	src/survival/coxph_fit.o \
	src/survival/coxph_io.o \
	src/survival/coxph_predict.o \
	src/clv/clv.o \
	src/clv/clv_summary.o \
	src/clv/clv_fit.o \
	src/clv/clv_predict.o \
	src/clv/clv_bgbb.o \
	src/clv/clv_tidy.o \
	src/clv/clv_holdout.o \
	src/clv/clv_pareto.o \
	src/retention/period.o \
	src/retention/retention.o \
	src/retention/cohort.o \
	src/retention/cohort_activity.o \
	src/retention/cohort_activity_io.o \
	src/retention/churn.o \
	src/retention/customer_mrr.o \
	src/retention/customer_mrr_io.o \
	src/retention/mrr_cohort.o \
	src/retention/mrr_currency.o \
	src/retention/mrr_plan.o \
	src/pipeline/pipeline.o \
	src/pipeline/pipeline_io.o \
	src/pipeline/pipeline_quantiles.o \
	src/pipeline/pipeline_stages.o \
	src/pipeline/pipeline_business.o \
	src/pipeline/pipeline_sum.o \
	src/pipeline/pipeline_hygiene.o \
	src/pipeline/pipeline_leads.o \
	src/pipeline/pipeline_changes.o \
	src/pipeline/pipeline_forecast.o \
	src/pipeline/new_customers.o \
	src/pipeline/new_customers_io.o \
	src/adoption/adoption.o

# The install script of the current version is built from the families' SQL
# fragments, in this order (later families use earlier ones' types).  Only
# the frozen install script of the oldest release and the hand-written
# upgrade scripts are in the repository.
EXTVERSION := $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(dir $(firstword $(MAKEFILE_LIST)))crm_kpi.control)
SQL_FRAGMENTS = $(foreach f,$(FAMILIES),src/$(f)/$(f).sql)
DATA_built = crm_kpi--$(EXTVERSION).sql
DATA = crm_kpi--1.0.0.sql $(wildcard crm_kpi--*--*.sql)
DOCS = README.md

# pg_regress tests (sql/ and expected/); run by test/run on a throwaway cluster
REGRESS = survey survey_parallel survey_window survey_scores survey_scores_parallel survey_tidy \
	conversion conversion_parallel conversion_window conversion_exact funnel_clickhouse funnel_unordered conversion_sequence funnel_time \
	funnel_breakdown \
	survival survival_parallel survival_window survival_times survival_tidy survival_tests survival_entry \
	coxph coxph_parallel \
	clv clv_parallel clv_times clv_tidy clv_holdout clv_models clv_bgbb clv_bgbb_parallel clv_penalizer \
	retention retention_parallel retention_window retention_censoring retention_ids \
	pipeline pipeline_parallel pipeline_exact pipeline_medians pipeline_money pipeline_leads pipeline_changes new_customers \
	adoption adoption_ids adoption_parallel \
	mrr mrr_ids mrr_parallel mrr_metrics mrr_plan mrr_currency \
	demo
REGRESS_OPTS = --dbname=crm_kpi_regression

# Stricter warnings are for CI and developers: pass PG_CFLAGS=-Werror there,
# never in the shipped Makefile.
PG_CPPFLAGS = -I$(srcdir)/src/common

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies unless the server was configured with
# --enable-depend (Debian's is not): every object depends on the shared
# headers and on its family's, so a changed struct or inline function
# rebuilds what uses it.
$(OBJS) $(OBJS:.o=.bc): $(wildcard $(srcdir)/src/common/*.h)
$(foreach f,$(FAMILIES),$(eval $(filter src/$(f)/%,$(OBJS) $(OBJS:.o=.bc)): $(wildcard $(srcdir)/src/$(f)/*.h)))

crm_kpi--$(EXTVERSION).sql: $(SQL_FRAGMENTS) crm_kpi.control
	{ printf '/* %s */\n\n' $@; \
	  echo '-- complain if script is sourced in psql, rather than through CREATE EXTENSION'; \
	  echo '\\echo Use "CREATE EXTENSION crm_kpi" to load this file. \\quit'; \
	  for f in $(SQL_FRAGMENTS); do echo; cat $$f; done; } >$@

# test/run asks for the test list
print-regress:
	@echo $(REGRESS)
.PHONY: print-regress
