-- The conventions every crm_kpi object follows (doc/conventions.md), checked
-- on the catalog so that each new KPI family is held to them too.
BEGIN;
SELECT plan(9);

CREATE TEMP VIEW members AS
SELECT d.classid, d.objid, pg_describe_object(d.classid, d.objid, 0) AS name
FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'crm_kpi';

SELECT ok((SELECT count(*) FROM members) > 0, 'the extension has members');

SELECT is_empty($$
	SELECT name FROM members
	WHERE classid IN ('pg_proc'::regclass, 'pg_type'::regclass)
	  AND obj_description(objid, classid::regclass::name) IS NULL
$$, 'every function, aggregate and type has a comment');

-- The functions that put timestamps into calendar periods read the session
-- TimeZone, so they are STABLE, like date_trunc(text, timestamptz).
SELECT is_empty($$
	SELECT m.name FROM members m JOIN pg_proc p ON p.oid = m.objid
	WHERE m.classid = 'pg_proc'::regclass AND (p.proparallel <> 's' OR p.provolatile <> 'i')
	  AND NOT (p.provolatile = 's' AND p.proname IN ('activity_accum', 'retention_summary_accum',
		'retention_event_accum', 'retention_event_curve', 'retention_event_summary', 'lifecycle',
		'mrr_accum', 'mrr_movements'))
$$, 'every function and aggregate is IMMUTABLE PARALLEL SAFE (STABLE if it reads the time zone)');

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

-- C symbol = SQL name; an overloaded accessor name gets its family's prefix
-- (nps(survey_summary) is survey_nps); ces(survey_summary) is mean_score's alias
SELECT is_empty($$
	SELECT m.name FROM members m JOIN pg_proc p ON p.oid = m.objid
	WHERE p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
	  AND p.prosrc <> p.proname AND p.prosrc NOT LIKE '%\_' || p.proname
	  AND (p.proname, p.prosrc) <> ('ces', 'survey_mean_score')
$$, 'C symbols are the SQL names');

SELECT is_empty($$
	SELECT m.name FROM members m JOIN pg_proc p ON p.oid = m.objid
	WHERE p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
	  AND p.probin <> '$libdir/crm_kpi'
$$, 'C functions load from MODULE_PATHNAME');

SELECT * FROM finish();
ROLLBACK;
