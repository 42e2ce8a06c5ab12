-- The conventions every crm_kpi object follows (doc/conventions.md), checked
-- on the catalog so that each new KPI family is held to them too.
BEGIN;
SELECT plan(13);

CREATE TEMP VIEW members AS
SELECT d.classid, d.objid, pg_describe_object(d.classid, d.objid, 0) AS name
FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'crm_kpi';

SELECT ok((SELECT count(*) FROM members) > 0, 'the extension has members');

SELECT is_empty($$
	SELECT name FROM members
	WHERE classid IN ('pg_proc'::regclass, 'pg_type'::regclass)
	  AND obj_description(objid, classid::regclass::name) IS NULL
	  -- the array type of each type, a member itself from PostgreSQL 17 on
	  AND NOT (classid = 'pg_type'::regclass AND EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = objid))
$$, 'every function, aggregate and type has a comment');

-- The functions that put timestamps into calendar periods read the session
-- TimeZone, so they are STABLE, like date_trunc(text, timestamptz); so are
-- those that censor at the transaction time by default (retention, 1.3.0).
SELECT is_empty($$
	SELECT m.name FROM members m JOIN pg_proc p ON p.oid = m.objid
	WHERE m.classid = 'pg_proc'::regclass AND (p.proparallel <> 's' OR p.provolatile <> 'i')
	  AND NOT (p.provolatile = 's' AND p.proname IN ('activity_summary_accum', 'retention_summary_accum',
		'cohort_activity_summary_accum', 'cohort_activity_summary_accum_mode', 'lifecycle',
		'mrr_agg_state_accum', 'mrr_movements', 'mrr_movement_table', 'mrr_cohort_table', 'mrr_movements_by_plan', 'customer_mrr_summary_accum',
		'rfm_agg_state_accum_timestamptz', 'adoption_summary_accum',
		'customer_mrr_summary_accum_subscription',
		'new_customers_summary_accum'))
	  AND NOT (p.provolatile = 's' AND p.oid IN ('retention_summary(cohort_activity_summary)'::regprocedure,
		'retention_summary(cohort_activity_summary, timestamptz)'::regprocedure,
		'retention_curve(cohort_activity_summary)'::regprocedure,
		'retention_curve(cohort_activity_summary, text)'::regprocedure))
$$, 'every function and aggregate is IMMUTABLE PARALLEL SAFE (STABLE if it reads the time zone or the clock)');

SELECT is_empty($$
	SELECT m.name FROM members m JOIN pg_aggregate a ON a.aggfnoid = m.objid
	WHERE a.aggcombinefn = 0
$$, 'every aggregate has a combine function');

SELECT is_empty($$
	SELECT m.name FROM members m JOIN pg_aggregate a ON a.aggfnoid = m.objid
	WHERE a.aggtranstype = 'internal'::regtype AND (a.aggserialfn = 0 OR a.aggdeserialfn = 0)
$$, 'every aggregate with an internal state serializes it');

SELECT is_empty($$
	SELECT m.name FROM members m JOIN pg_aggregate a ON a.aggfnoid = m.objid
	JOIN pg_type t ON t.oid = a.aggtranstype
	WHERE t.typtype = 'b' AND t.oid <> 'internal'::regtype
	  AND NOT EXISTS (SELECT 1 FROM members x WHERE x.objid = t.oid)
	  AND t.typnamespace <> 'pg_catalog'::regnamespace
$$, 'aggregate states are crm_kpi types, core types or internal');

SELECT is_empty($$
	SELECT m.name FROM members m JOIN pg_type t ON t.oid = m.objid
	WHERE m.classid = 'pg_type'::regclass AND t.typtype = 'b'
	  AND (t.typreceive = 0 OR t.typsend = 0)
$$, 'every base type has binary input and output');

-- postgres_fdw ships an aggregate to a remote server only if its result type
-- is built in (an OID below 10000) or a member of the extension; an array type
-- is a member only from PostgreSQL 17 on, so an aggregate returning an array
-- of the extension's type returns a domain over it (stage_conversions)
SELECT is_empty($$
	SELECT m.name FROM members m JOIN pg_proc p ON p.oid = m.objid JOIN pg_aggregate a ON a.aggfnoid = p.oid
	WHERE p.prorettype >= 10000
	  AND NOT EXISTS (SELECT 1 FROM members x WHERE x.classid = 'pg_type'::regclass AND x.objid = p.prorettype)
$$, 'aggregates return core types or the extension''s (postgres_fdw ships no other)');

-- Aliases: SQL functions that call the C function of another one.  ces is
-- mean_score under the name of its KPI (and ces_lower, ces_upper its bounds);
-- the others are the names accessors had before 1.2.0, kept as deprecated
-- aliases of their replacements.
CREATE TEMP TABLE aliases (alias name, replacement name, deprecated boolean);
INSERT INTO aliases VALUES
	('ces', 'mean_score', false),
	('ces_lower', 'mean_score_lower', false),
	('ces_upper', 'mean_score_upper', false),
	('entities', 'funnel_entities', true),
	('reached', 'funnel_reached', true),
	('median_time', 'funnel_median_time', true),
	('funnel_conversion', 'funnel_conversion_proportion', true),
	('customer_churn', 'customer_churn_proportion', true),
	('survival_combine', 'survival_summary_combine', true),
	('survival_uncombine', 'survival_summary_uncombine', true);

CREATE TEMP VIEW c_functions AS
SELECT m.name, p.oid, p.proname, p.prosrc, p.proargtypes, p.prorettype,
	obj_description(p.oid, 'pg_proc') AS comment
FROM members m JOIN pg_proc p ON p.oid = m.objid
WHERE p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c');

-- C symbol = SQL name; an overloaded accessor name gets its family's prefix
-- (nps(survey_summary) is survey_nps); an alias has its replacement's symbol
SELECT is_empty($$
	SELECT f.name FROM c_functions f
	WHERE f.prosrc <> f.proname AND f.prosrc NOT LIKE '%\_' || f.proname
	  AND NOT EXISTS (SELECT 1 FROM aliases a JOIN c_functions r ON r.proname = a.replacement
		WHERE a.alias = f.proname AND r.prosrc = f.prosrc)
$$, 'C symbols are the SQL names, except the listed aliases');

SELECT set_eq($$
	SELECT DISTINCT f.proname AS alias, r.proname AS replacement FROM c_functions f
	JOIN c_functions r ON r.prosrc = f.prosrc AND r.proargtypes = f.proargtypes
		AND r.prorettype = f.prorettype AND r.proname <> f.proname
	WHERE f.proname IN (SELECT alias FROM aliases)
$$, 'SELECT alias, replacement FROM aliases',
	'each alias takes the arguments and result of its replacement, and calls its C function');

-- A deprecated alias says so, naming its replacement and the release since
-- which it is deprecated; nothing else is called deprecated.
SELECT set_eq($$
	SELECT f.proname, substring(f.comment FROM '^deprecated alias of (\w+) since \d+\.\d+\.\d+$')::name
	FROM c_functions f WHERE f.comment LIKE '%deprecated%'
$$, 'SELECT alias, replacement FROM aliases WHERE deprecated',
	'every deprecated alias has the comment "deprecated alias of <replacement> since <version>"');

-- Support functions are not user API and have no aliases: every function an
-- aggregate calls is named by the rule of doc/conventions.md ("Names") or is
-- an accessor used as a final function.
SELECT is_empty($$
	SELECT DISTINCT p.proname FROM members m JOIN pg_aggregate a ON a.aggfnoid = m.objid
	CROSS JOIN LATERAL unnest(ARRAY[a.aggtransfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn,
		a.aggmtransfn, a.aggminvtransfn, a.aggfinalfn, a.aggmfinalfn]::oid[]) fn(oid)
	JOIN pg_proc p ON p.oid = fn.oid
	WHERE p.pronamespace <> 'pg_catalog'::regnamespace
	  AND p.proname !~ '^\w+_(summary|state)_(accum|deaccum|combine|uncombine)(_\w+)?$'
	  AND p.proname !~ '^\w+_state_(serialize|deserialize)$'
	  AND NOT (fn.oid = a.aggfinalfn AND p.proname = (SELECT ap.proname FROM pg_proc ap WHERE ap.oid = a.aggfnoid) || '_final')
	  AND NOT (fn.oid = a.aggfinalfn AND p.proname = (SELECT t.typname FROM pg_type t WHERE t.oid = a.aggtranstype) || '_final')
	  AND NOT EXISTS (SELECT 1 FROM members x JOIN pg_aggregate xa ON xa.aggfnoid = x.objid
		WHERE xa.aggfinalfn = p.oid AND p.prorettype <> 'internal'::regtype
		  AND p.proargtypes[0] = xa.aggtranstype AND p.proname NOT LIKE '%\_final')
$$, 'support functions follow the naming rule');

SELECT is_empty($$
	SELECT m.name FROM members m JOIN pg_proc p ON p.oid = m.objid
	WHERE p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
	  AND p.probin <> '$libdir/crm_kpi'
$$, 'C functions load from MODULE_PATHNAME');

SELECT * FROM finish();
ROLLBACK;
