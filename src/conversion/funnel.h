/*-------------------------------------------------------------------------
 *
 * funnel.h
 *	  What funnel.c (per entity) and funnel_summary.c (across entities)
 *	  share.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_FUNNEL_H
#define CRM_KPI_FUNNEL_H

/* Steps of a funnel: a limit on memory (a chain's state per step), not a format */
#define FUNNEL_MAX_STEPS	10000

/* Errors unless 1 <= nsteps <= FUNNEL_MAX_STEPS */
extern void FunnelCheckSteps(int64 nsteps);

/* Returns an internal aggregate state, which is SQL NULL until a row makes it */
#define FUNNEL_RETURN_STATE(state) \
	do { \
		if ((state) == NULL) \
			PG_RETURN_NULL(); \
		PG_RETURN_POINTER(state); \
	} while (0)

#endif							/* CRM_KPI_FUNNEL_H */
