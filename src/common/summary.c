/*-------------------------------------------------------------------------
 *
 * summary.c
 *	  The kit every summary type and aggregate state uses: fetching a
 *	  summary argument or transition state with the right amount of
 *	  checking, the versioned binary format's reading and writing, the
 *	  input errors, and the scaffolding of internal aggregate states.
 *
 * doc/conventions.md ("Summary types", "Transition, combine, final") says
 * which pattern a family uses and why.  In short: a fixed-size summary type
 * is its aggregates' transition state and is updated in place (pattern
 * (a)); a growing state is an expanded object of its summary type (pattern
 * (b)); internal stays only for aggregates per entity by nature and for
 * one-step aggregates whose state is not a summary, and their serialized
 * form is a versioned format written with these helpers.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "libpq/pqformat.h"
#include "utils/regproc.h"


/* Stored values */

void
KpiSummaryCorrupt(const char *type_name)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("%s value is corrupt", type_name)));
}

/*
 * The value of argument argno, detoasted (a copy if copy), checked fully or
 * (full = false) its header only
 */
static void *
SummaryFetch(FunctionCallInfo fcinfo, int argno, const KpiSummaryType *type,
			 bool copy, bool full)
{
	Datum		d = PG_GETARG_DATUM(argno);
	void	   *value;

	if (type->typlen == -1)
		value = copy ? PG_DETOAST_DATUM_COPY(d) : PG_DETOAST_DATUM(d);
	else if (copy)
		value = memcpy(palloc(type->typlen), DatumGetPointer(d), type->typlen);
	else
		value = DatumGetPointer(d);
	if (!type->valid(value, full))
		KpiSummaryCorrupt(type->name);
	return value;
}

/*
 * KpiSummaryArg
 *		A summary argument to read: every value read from outside is checked
 *		fully, once, here (XX001 if it is not what this code writes).
 */
void *
KpiSummaryArg(FunctionCallInfo fcinfo, int argno, const KpiSummaryType *type)
{
	return SummaryFetch(fcinfo, argno, type, false, true);
}

/* A checked copy of a summary argument, for a function that changes it */
void *
KpiSummaryCopy(FunctionCallInfo fcinfo, int argno, const KpiSummaryType *type)
{
	return SummaryFetch(fcinfo, argno, type, true, true);
}

/*
 * KpiSummaryState (inline, in crm_kpi.h)
 *		The transition state of an aggregate over rows (pattern (a)), to be
 *		updated in place.
 *
 * Called as an aggregate, the state is either the aggregate's INITCOND,
 * which the type's input function validated, or a value this code's
 * transition function returned for the same group: it is not checked again,
 * so that a row costs only its own update (assert-enabled builds check it
 * anyway).  Called directly, the argument must not change and comes from
 * outside: a copy, checked fully.
 */

/*
 * KpiSummaryMergeState
 *		The first argument of a combine function (or of the inverse of
 *		rollup), to be updated in place.
 *
 * When a strict combine function has no INITCOND, the executor makes its
 * state a copy of the first value it merges (a stored summary, or a
 * worker's partial state): in an aggregate the state may come from outside.
 * Its header is checked on every call, which costs no loop and keeps every
 * access in bounds; the full check of its contents is what reading the
 * result (output, accessors) does.  Outside an aggregate: a checked copy.
 */
void *
KpiSummaryMergeState(FunctionCallInfo fcinfo, int argno, const KpiSummaryType *type)
{
	if (!AggCheckCallContext(fcinfo, NULL))
		return KpiSummaryCopy(fcinfo, argno, type);
	return SummaryFetch(fcinfo, argno, type, false, false);
}


/* Versioned binary formats */

void
KpiSendVersion(StringInfo buf, int version)
{
	pq_begintypsend(buf);
	pq_sendbyte(buf, version);
}

void
KpiRecvVersion(StringInfo buf, const char *name, int version)
{
	(void) KpiRecvVersionRange(buf, name, version, version);
}

/* The same for a type that reads its earlier formats too: the version read */
int
KpiRecvVersionRange(StringInfo buf, const char *name, int oldest, int newest)
{
	int			found;

	KpiRecvNeed(buf, name, 1, false);
	found = pq_getmsgbyte(buf);
	if (found < oldest || found > newest)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported %s binary format version %d", name, found)));
	return found;
}

/*
 * Check that at least (or, with exact, exactly) bytes are left to read, so
 * that no pq_getmsg* call runs past the end (a protocol error, 08P01,
 * rather than 22P03).
 */
void
KpiRecvNeed(StringInfo buf, const char *name, int64 bytes, bool exact)
{
	int64		left = buf->len - buf->cursor;

	if (exact ? left != bytes : left < bytes)
		KpiBinaryInputError(name, "The input has " INT64_FORMAT " bytes left where %s" INT64_FORMAT " are expected.",
							left, exact ? "" : "at least ", bytes);
}

/*
 * A count of items (an int32, or an int64 with size 8) that must lie in
 * 0..max and fit in the bytes left at item_bytes or more each: checked
 * before anything is allocated for the items, so that memory follows the
 * input's real size.
 */
int64
KpiRecvCount(StringInfo buf, const char *name, int size, int64 max,
			 int64 item_bytes)
{
	int64		n;

	Assert(size == 4 || size == 8);
	Assert(item_bytes > 0);
	KpiRecvNeed(buf, name, size, false);
	n = size == 4 ? (int64) (int32) pq_getmsgint(buf, 4) : pq_getmsgint64(buf);
	if (n < 0 || n > max || n > (buf->len - buf->cursor) / item_bytes)
		KpiBinaryInputError(name, "The count " INT64_FORMAT " is out of range for the %d bytes left.",
							n, buf->len - buf->cursor);
	return n;
}

/* The end of the input: pq_getmsgend, but 22P03 if bytes are left */
void
KpiRecvEnd(StringInfo buf, const char *name)
{
	if (buf->cursor != buf->len)
		KpiBinaryInputError(name, "Bytes left after the end of the input: %d.",
							buf->len - buf->cursor);
	pq_getmsgend(buf);
}

/* A read-only message buffer over a bytea (a serialized aggregate state) */
void
KpiReadBuffer(StringInfo buf, bytea *data)
{
	buf->data = VARDATA_ANY(data);
	buf->len = VARSIZE_ANY_EXHDR(data);
	buf->maxlen = buf->len;
	buf->cursor = 0;
}


/* Internal aggregate states */

/*
 * KpiAggContext
 *		The aggregate's memory context; an internal state exists only in an
 *		aggregate, so anything else is a cannot-happen error naming the
 *		function.
 */
MemoryContext
KpiAggContext(FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context",
			 format_procedure(fcinfo->flinfo->fn_oid));
	return aggcxt;
}

/*
 * KpiCombineInternal
 *		The combine function of an internal state: not strict, so every
 *		case of NULLs is handled here.  A NULL first state becomes an empty
 *		state like the second (create_like, in the aggregate context) into
 *		which the second is merged: a deep copy, never the second's pointer.
 */
Datum
KpiCombineInternal(FunctionCallInfo fcinfo, KpiCreateLike create_like,
				   KpiMergeStates merge)
{
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	void	   *a;
	void	   *b;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = PG_GETARG_POINTER(1);
	a = PG_ARGISNULL(0) ? create_like(aggcxt, b) : PG_GETARG_POINTER(0);
	merge(a, b);
	PG_RETURN_POINTER(a);
}
