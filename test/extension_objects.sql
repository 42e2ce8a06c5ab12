-- Every object of the crm_kpi extension with its full definition, one line
-- each, in a stable order: test/run compares this between a fresh install and
-- an upgraded one.  An aggregate's line lists the objects it depends on
-- (pg_depend), which an upgrade that rewrites pg_aggregate must keep true.
SELECT pg_describe_object(d.classid, d.objid, 0) || ' | ' ||
	coalesce(obj_description(d.objid, d.classid::regclass::name), '<no comment>') || ' | ' ||
	CASE d.classid
	WHEN 'pg_proc'::regclass THEN (
		SELECT concat_ws(' ', p.prokind, pg_get_function_arguments(p.oid), '->',
			pg_get_function_result(p.oid), p.provolatile, p.proparallel, p.proisstrict,
			p.prosrc, p.probin, p.procost, p.prorows,
			(SELECT concat_ws(' ', a.aggkind, a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
					a.aggserialfn, a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn,
					a.aggmfinalfn, a.aggtranstype::regtype, a.aggmtranstype::regtype,
					a.agginitval, a.aggminitval, a.aggfinalmodify, a.aggmfinalmodify,
					'depends on', (SELECT string_agg(r.obj, ', ' ORDER BY r.obj)
						FROM (SELECT DISTINCT pg_describe_object(n.refclassid, n.refobjid, n.refobjsubid) AS obj
							FROM pg_depend n
							WHERE n.classid = 'pg_proc'::regclass AND n.objid = p.oid
								AND n.deptype = 'n') r))
			 FROM pg_aggregate a WHERE a.aggfnoid = p.oid))
		FROM pg_proc p WHERE p.oid = d.objid)
	WHEN 'pg_type'::regclass THEN (
		SELECT concat_ws(' ', t.typlen, t.typbyval, t.typtype, t.typalign, t.typstorage,
			t.typinput, t.typoutput, t.typreceive, t.typsend)
		FROM pg_type t WHERE t.oid = d.objid)
	ELSE '' END
FROM pg_depend d
JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
WHERE e.extname = 'crm_kpi' AND d.deptype = 'e'
ORDER BY 1;
