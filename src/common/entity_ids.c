/*-------------------------------------------------------------------------
 *
 * entity_ids.c
 *	  Entity ids of any supported type (customers, users, accounts), mapped
 *	  exactly to the int64 keys of the keyed tables.  smallint, integer and
 *	  bigint ids are their own keys.  uuid and text ids get dense ordinals 0,
 *	  1, ... in a dictionary of their bytes, compared byte for byte: a
 *	  64-bit hash alone would count two customers as one now and then, and a
 *	  distinct count must be exact.
 *
 *	  The dictionary is one array of bytes, the hashes of its ids, and an
 *	  open-addressing index over them (linear probing, at most half full), all
 *	  grown by doubling in the state's memory context.  uuid i is the 16 bytes
 *	  at data + 16 i.  A text id is a record at an 8-aligned offset: its
 *	  ordinal, its length and its bytes, so that a probe, which finds the
 *	  record's offset in the bucket, reads the bucket and the record only (one
 *	  cache miss less a row than an array of offsets between them); the
 *	  offsets of the records by ordinal are kept beside, to print the ids.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/uuid.h"


#define IDS_INITIAL		16
#define IDS_MAX			(PG_UINT32_MAX / 4)	/* buckets fit in uint32 */

/* A text id's record in data, at a multiple of 8: the bucket holds offset / 8 + 1 */
typedef struct IdsTextRecord
{
	uint32		id;				/* ordinal */
	uint32		len;
	char		bytes[FLEXIBLE_ARRAY_MEMBER];
} IdsTextRecord;

#define IDS_RECORD_SIZE(len)	TYPEALIGN(8, offsetof(IdsTextRecord, bytes) + (Size) (len))
#define IDS_DATA_MAX			((Size) 8 * (PG_UINT32_MAX - 1))

static const char *const IdKindNames[] = {NULL, "integer", "uuid", "text"};

void
KpiIdsInit(KpiIds *ids, MemoryContext cxt)
{
	memset(ids, 0, sizeof(KpiIds));
	ids->cxt = cxt;
}

const char *
KpiIdKindName(KpiIdKind kind)
{
	Assert(kind >= KPI_ID_NONE && kind <= KPI_ID_TEXT);
	return IdKindNames[kind];
}

bool
KpiIdKindFromName(const char *name, int len, KpiIdKind *kind)
{
	int			k;

	for (k = KPI_ID_INTEGER; k <= KPI_ID_TEXT; k++)
		if (strlen(IdKindNames[k]) == (size_t) len && memcmp(IdKindNames[k], name, len) == 0)
		{
			*kind = (KpiIdKind) k;
			return true;
		}
	return false;
}

uint32
KpiIdsCount(const KpiIds *ids)
{
	return ids->count;
}


/* The dictionary */

/*
 * The hash of an id's bytes: eight bytes a step (xxHash64's round), the last
 * eight overlapping the step before, shorter ids in one word, then
 * KpiHash64's avalanche; the length is in the seed, so the overlap loses
 * nothing.  Cheaper than hash_bytes() on short ids, as evenly spread, and
 * never stored (the index is rebuilt from the bytes when a summary is read),
 * so it may differ between platforms.
 */
static inline uint64
IdsHashRound(uint64 h, uint64 w)
{
	h += w * UINT64CONST(0xc2b2ae3d27d4eb4f);
	return ((h << 31) | (h >> 33)) * UINT64CONST(0x9e3779b185ebca87);
}

static inline uint32
IdsHash(const char *p, uint32 len)
{
	uint64		h = UINT64CONST(0x27d4eb2f165667c5) + len;
	uint64		w;

	if (len >= 8)
	{
		const char *last = p + len - 8;

		for (; p < last; p += 8)
		{
			memcpy(&w, p, 8);
			h = IdsHashRound(h, w);
		}
		memcpy(&w, last, 8);
	}
	else if (len >= 4)
	{
		uint32		lo,
					hi;

		memcpy(&lo, p, 4);
		memcpy(&hi, p + len - 4, 4);
		w = ((uint64) hi << 32) | lo;
	}
	else if (len > 0)
		w = (unsigned char) p[0] | ((uint64) (unsigned char) p[len / 2] << 8) |
			((uint64) (unsigned char) p[len - 1] << 16);
	else
		w = 0;
	return KpiHash64(IdsHashRound(h, w));
}

/*
 * Whether the len bytes at a and b are equal: as IdsHash reads them, with no
 * call, for the short ids of most probes
 */
static inline bool
IdsBytesEqual(const char *a, const char *b, uint32 len)
{
	uint64		x,
				y;
	uint32		i;

	if (len >= 8)
	{
		for (i = 0; i + 8 < len; i += 8)
		{
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return false;
		}
		memcpy(&x, a + len - 8, 8);
		memcpy(&y, b + len - 8, 8);
		return x == y;
	}
	if (len >= 4)
	{
		uint32		u,
					v;

		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		if (u != v)
			return false;
		memcpy(&u, a + len - 4, 4);
		memcpy(&v, b + len - 4, 4);
		return u == v;
	}
	return len == 0 ||
		(a[0] == b[0] && a[len / 2] == b[len / 2] && a[len - 1] == b[len - 1]);
}

/* An empty index of buckets (a power of 2) buckets, filled from the ids */
static void
IdsIndexBuild(KpiIds *ids, uint32 buckets)
{
	uint32		i;

	if (ids->index != NULL)
		pfree(ids->index);
	ids->mask = buckets - 1;
	ids->index = MemoryContextAllocExtended(ids->cxt, sizeof(uint32) * (Size) buckets,
											MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (i = 0; i < ids->count; i++)
	{
		uint32		b = ids->hashes[i] & ids->mask;

		while (ids->index[b] != 0)
			b = (b + 1) & ids->mask;
		ids->index[b] = ids->kind == KPI_ID_TEXT ? (uint32) (ids->offsets[i] / 8) + 1 : i + 1;
	}
}

/* p (NULL: none yet) grown to size bytes in cxt */
static void *
IdsGrow(MemoryContext cxt, void *p, Size size)
{
	if (p == NULL)
		return MemoryContextAllocExtended(cxt, size, MCXT_ALLOC_HUGE);
	return repalloc_huge(p, size);
}

/* Room for one more id, which takes size bytes of data */
static void
IdsReserve(KpiIds *ids, Size size)
{
	if (ids->count == ids->capacity)
	{
		uint32		capacity = ids->capacity == 0 ? IDS_INITIAL : ids->capacity * 2;

		if (ids->count >= IDS_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many distinct entity ids"),
					 errdetail("A summary holds at most %u ids.", IDS_MAX)));
		capacity = Min(capacity, IDS_MAX);
		ids->hashes = IdsGrow(ids->cxt, ids->hashes, sizeof(uint32) * (Size) capacity);
		if (ids->kind == KPI_ID_TEXT)
			ids->offsets = IdsGrow(ids->cxt, ids->offsets, sizeof(uint64) * (Size) capacity);
		ids->capacity = capacity;
		IdsIndexBuild(ids, pg_nextpower2_32(capacity) * 2);
	}
	/* a text record's offset / 8 + 1 must fit in a bucket */
	if (size > IDS_DATA_MAX - ids->data_used)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct entity ids"),
				 errdetail("A summary holds at most %zu bytes of ids.", IDS_DATA_MAX)));
	if (ids->data_size - ids->data_used < size)
	{
		Size		data_size = Max(ids->data_size, 256);

		while (data_size - ids->data_used < size)
			data_size *= 2;
		ids->data = IdsGrow(ids->cxt, ids->data, data_size);
		ids->data_size = data_size;
	}
}

/* Adds the id of len bytes at p with hash h, not in ids; returns its ordinal */
static pg_noinline int64
IdsAdd(KpiIds *ids, const char *p, uint32 len, uint32 h)
{
	uint32		b;
	uint32		slot;
	uint32		i;

	IdsReserve(ids, ids->kind == KPI_ID_TEXT ? IDS_RECORD_SIZE(len) : UUID_LEN);
	i = ids->count++;
	if (ids->kind == KPI_ID_TEXT)
	{
		IdsTextRecord *r = (IdsTextRecord *) (ids->data + ids->data_used);

		r->id = i;
		r->len = len;
		memcpy(r->bytes, p, len);
		ids->offsets[i] = ids->data_used;
		slot = (uint32) (ids->data_used / 8) + 1;
		ids->data_used += IDS_RECORD_SIZE(len);
	}
	else
	{
		memcpy(ids->data + ids->data_used, p, UUID_LEN);
		ids->data_used += UUID_LEN;
		slot = i + 1;
	}
	ids->id_bytes += len;
	ids->hashes[i] = h;
	for (b = h & ids->mask; ids->index[b] != 0; b = (b + 1) & ids->mask)
		;
	ids->index[b] = slot;
	return i;
}

/*
 * The ordinal of the id of len bytes at p with hash h, added if new; *found
 * says whether it was there.
 *
 * A probe compares the bucket's id itself, not its hash first: with the
 * index at most half full, most probes end at the first bucket, on the id
 * sought, and each array read is a cache miss once the dictionary outgrows
 * the CPU's cache (the bucket, then the uuid or text record; a hash read
 * first would be a third).
 */
static pg_attribute_always_inline int64
IdsFind(KpiIds *ids, const char *p, uint32 len, uint32 h, bool *found)
{
	uint32		b;
	uint32		slot;

	Assert(ids->kind == KPI_ID_UUID || ids->kind == KPI_ID_TEXT);
	Assert(ids->kind != KPI_ID_UUID || len == UUID_LEN);
	if (ids->index != NULL && ids->kind == KPI_ID_UUID)
	{
		for (b = h & ids->mask; (slot = ids->index[b]) != 0; b = (b + 1) & ids->mask)
		{
			if (IdsBytesEqual(ids->data + (Size) (slot - 1) * UUID_LEN, p, UUID_LEN))
			{
				*found = true;
				return slot - 1;
			}
		}
	}
	else if (ids->index != NULL)
	{
		for (b = h & ids->mask; (slot = ids->index[b]) != 0; b = (b + 1) & ids->mask)
		{
			const IdsTextRecord *r = (const IdsTextRecord *) (ids->data + (Size) (slot - 1) * 8);

			if (r->len == len && IdsBytesEqual(r->bytes, p, len))
			{
				*found = true;
				return r->id;
			}
		}
	}
	*found = false;
	return IdsAdd(ids, p, len, h);
}

static inline int64
IdsKeyBytes(KpiIds *ids, const char *p, uint32 len)
{
	bool		found;

	return IdsFind(ids, p, len, IdsHash(p, len), &found);
}

/* The kind of ids of SQL type typid */
static KpiIdKind
IdKindOfType(Oid typid)
{
	switch (typid)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			return KPI_ID_INTEGER;
		case UUIDOID:
			return KPI_ID_UUID;
		case TEXTOID:
		case VARCHAROID:
			return KPI_ID_TEXT;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("entity ids of type %s are not supported", format_type_be(typid)),
					 errhint("Use smallint, integer, bigint, uuid or text ids.")));
	}
	pg_unreachable();
}

static void
IdsSetKind(KpiIds *ids, KpiIdKind kind)
{
	if (ids->kind != KPI_ID_NONE && ids->kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge %s ids with %s ids",
						KpiIdKindName(ids->kind), KpiIdKindName(kind)),
				 errhint("Cast the ids to one type before aggregating.")));
	ids->kind = kind;
}

/* The type of argument argno, read once per state */
static pg_noinline void
IdsReadArgType(KpiIds *ids, FunctionCallInfo fcinfo, int argno)
{
	Oid			typid = get_fn_expr_argtype(fcinfo->flinfo, argno);

	if (!OidIsValid(typid))
		elog(ERROR, "could not determine the type of the entity id argument");
	IdsSetKind(ids, IdKindOfType(typid));
	ids->argtype = typid;
}

int64
KpiIdsKeyArg(KpiIds *ids, FunctionCallInfo fcinfo, int argno)
{
	Datum		id = PG_GETARG_DATUM(argno);

	if (unlikely(!OidIsValid(ids->argtype)))
		IdsReadArgType(ids, fcinfo, argno);
	switch (ids->argtype)
	{
		case INT8OID:
			return DatumGetInt64(id);
		case INT4OID:
			return DatumGetInt32(id);
		case INT2OID:
			return DatumGetInt16(id);
		case UUIDOID:
			return IdsKeyBytes(ids, (const char *) DatumGetUUIDP(id)->data, UUID_LEN);
		default:
			{
				/* a short or plain text is read in place; only a toasted one is copied */
				struct varlena *v = (struct varlena *) DatumGetPointer(id);

				if (unlikely(VARATT_IS_COMPRESSED(v) || VARATT_IS_EXTERNAL(v)))
					v = pg_detoast_datum_packed(v);

				return IdsKeyBytes(ids, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
			}
	}
}

void
KpiIdsMergeKinds(KpiIds *into, const KpiIds *from)
{
	if (from->kind != KPI_ID_NONE)
		IdsSetKind(into, from->kind);
}

int64
KpiIdsTranslate(KpiIds *into, const KpiIds *from, int64 from_key)
{
	bool		found;
	const char *p;
	uint32		len;

	Assert(into->kind == from->kind || from->kind == KPI_ID_NONE);
	if (from->kind != KPI_ID_UUID && from->kind != KPI_ID_TEXT)
		return from_key;
	p = KpiIdsBytes(from, from_key, &len);
	return IdsFind(into, p, len, from->hashes[from_key], &found);
}

void
KpiIdsCopy(KpiIds *dst, const KpiIds *src, MemoryContext cxt)
{
	uint32		i;

	KpiIdsInit(dst, cxt);
	dst->kind = src->kind;
	dst->argtype = src->argtype;
	for (i = 0; i < src->count; i++)
		(void) KpiIdsTranslate(dst, src, i);
}


const char *
KpiIdsBytes(const KpiIds *ids, int64 key, uint32 *len)
{
	const IdsTextRecord *r;

	Assert(ids->kind == KPI_ID_UUID || ids->kind == KPI_ID_TEXT);
	Assert(key >= 0 && key < ids->count);
	if (ids->kind == KPI_ID_UUID)
	{
		*len = UUID_LEN;
		return ids->data + (Size) key * UUID_LEN;
	}
	r = (const IdsTextRecord *) (ids->data + ids->offsets[key]);
	*len = r->len;
	return r->bytes;
}

char *
KpiIdsPut(char *d, const KpiIds *ids, int64 key)
{
	uint32		len;
	const char *bytes = KpiIdsBytes(ids, key, &len);

	if (ids->kind == KPI_ID_TEXT)
	{
		uint32		n = pg_hton32(len);

		memcpy(d, &n, 4);
		d += 4;
	}
	memcpy(d, bytes, len);
	return d + len;
}


/*
 * The order of the uuid or text ids of keys a and b: byte by byte, a prefix
 * first (uuid's order; text's under COLLATE "C"), the order in which the
 * summaries store their ids so that equal summaries have one form
 */
int
KpiIdsCompare(const KpiIds *ids, int64 a, int64 b)
{
	uint32		la,
				lb;
	const char *pa = KpiIdsBytes(ids, a, &la);
	const char *pb = KpiIdsBytes(ids, b, &lb);
	int			c = memcmp(pa, pb, Min(la, lb));

	if (c != 0)
		return c;
	return (la > lb) - (la < lb);
}


/*
 * A row of a keyed table keyed by dictionary ordinals, with the first 16
 * bytes of its id as two big-endian numbers (zero-padded: a text id holds
 * no zero byte), so that most comparisons of the sort touch no id bytes
 */
typedef struct IdsSortItem
{
	uint64		prefix[2];
	uint32		row;
} IdsSortItem;

typedef struct IdsSortArg
{
	const KpiIds *ids;
	const KpiKeyedTable *table;
} IdsSortArg;

static int
IdsSortCompare(const void *a, const void *b, void *arg)
{
	const IdsSortItem *x = a;
	const IdsSortItem *y = b;
	const IdsSortArg *sort = arg;

	if (x->prefix[0] != y->prefix[0])
		return x->prefix[0] < y->prefix[0] ? -1 : 1;
	if (x->prefix[1] != y->prefix[1])
		return x->prefix[1] < y->prefix[1] ? -1 : 1;
	return KpiIdsCompare(sort->ids, KpiKeyedKey(sort->table, x->row),
						 KpiKeyedKey(sort->table, y->row));
}

/*
 * The rows of table, whose keys are ordinals of ids (uuid or text), into
 * order in KpiIdsCompare's order of their ids: the order of the flat forms.
 * Scratch space in cxt.
 */
void
KpiIdsSortRows(const KpiIds *ids, const KpiKeyedTable *table, uint32 *order,
			   MemoryContext cxt)
{
	uint32		count = KpiKeyedCount(table);
	IdsSortItem *items = MemoryContextAllocHuge(cxt, sizeof(IdsSortItem) * Max(count, 1));
	IdsSortArg	sort = {ids, table};
	uint32		i;

	for (i = 0; i < count; i++)
	{
		unsigned char bytes[16] = {0};
		uint32		len;
		const char *p = KpiIdsBytes(ids, KpiKeyedKey(table, i), &len);

		memcpy(bytes, p, Min(len, 16));
		memcpy(&items[i].prefix[0], bytes, 8);
		memcpy(&items[i].prefix[1], bytes + 8, 8);
		items[i].prefix[0] = pg_ntoh64(items[i].prefix[0]);
		items[i].prefix[1] = pg_ntoh64(items[i].prefix[1]);
		items[i].row = i;
	}
	qsort_arg(items, count, sizeof(IdsSortItem), IdsSortCompare, &sort);
	for (i = 0; i < count; i++)
		order[i] = items[i].row;
	pfree(items);
}

/*
 * KpiIdsSend's form of the ids of table's rows in order (KpiIdsSortRows),
 * written at d, which has KpiIdsSendSize(ids) bytes: every id of ids is a
 * row's.  Returns the end.
 */
char *
KpiIdsPutRows(char *d, const KpiIds *ids, const KpiKeyedTable *table, const uint32 *order)
{
	uint32		count = KpiKeyedCount(table);
	uint32		n = pg_hton32(count);
	uint32		i;

	Assert(ids->kind == KPI_ID_UUID || ids->kind == KPI_ID_TEXT);
	Assert(count == ids->count);
	*d++ = (char) ids->kind;
	memcpy(d, &n, 4);
	d += 4;
	for (i = 0; i < count; i++)
	{
		d = KpiIdsPut(d, ids, KpiKeyedKey(table, order[i]));
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return d;
}


/* Binary form: kind byte; for uuid and text, a count and the ids in order */

/* The length of KpiIdsSend's form of ids */
Size
KpiIdsSendSize(const KpiIds *ids)
{
	if (ids->kind != KPI_ID_UUID && ids->kind != KPI_ID_TEXT)
		return 1;
	return 1 + 4 + (ids->kind == KPI_ID_TEXT ? (Size) 4 * ids->count : 0) + ids->id_bytes;
}

void
KpiIdsSend(StringInfo buf, const KpiIds *ids)
{
	uint32		i;

	pq_sendbyte(buf, (uint8) ids->kind);
	if (ids->kind != KPI_ID_UUID && ids->kind != KPI_ID_TEXT)
		return;
	pq_sendint32(buf, ids->count);
	for (i = 0; i < ids->count; i++)
	{
		uint32		len;
		const char *p = KpiIdsBytes(ids, i, &len);

		if (ids->kind == KPI_ID_TEXT)
			pq_sendint32(buf, len);
		pq_sendbytes(buf, p, len);
	}
}

static void
IdsBadBinary(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid entity ids in binary input"),
			 errdetail("%s", detail)));
}

void
KpiIdsRecv(StringInfo buf, KpiIds *ids, MemoryContext cxt)
{
	int			kind;
	uint32		count;
	uint32		i;

	KpiIdsInit(ids, cxt);
	/* pq_getmsg* would end a truncated value with a protocol error */
	if (buf->cursor >= buf->len)
		IdsBadBinary("The id kind is missing.");
	kind = pq_getmsgbyte(buf);
	if (kind < KPI_ID_NONE || kind > KPI_ID_TEXT)
		IdsBadBinary(psprintf("Id kind %d is not known.", kind));
	ids->kind = (KpiIdKind) kind;
	if (kind != KPI_ID_UUID && kind != KPI_ID_TEXT)
		return;
	if (buf->len - buf->cursor < 4)
		IdsBadBinary("The id count is missing.");
	count = (uint32) pq_getmsgint(buf, 4);
	/* each id takes at least 16 (uuid) or 4 (text length) bytes */
	if (count > IDS_MAX ||
		(Size) count * (kind == KPI_ID_UUID ? UUID_LEN : 4) > (Size) (buf->len - buf->cursor))
		IdsBadBinary(psprintf("Its %u ids do not fit in the value.", count));
	for (i = 0; i < count; i++)
	{
		uint32		len = UUID_LEN;
		const char *p;
		bool		found;

		CHECK_FOR_INTERRUPTS();
		if (kind == KPI_ID_TEXT)
		{
			if (buf->len - buf->cursor < 4)
				IdsBadBinary(psprintf("Text id %u is truncated.", i + 1));
			len = (uint32) pq_getmsgint(buf, 4);
			if (len > (uint32) (buf->len - buf->cursor))
				IdsBadBinary(psprintf("Text id %u does not fit in the value.", i + 1));
		}
		else if (buf->len - buf->cursor < UUID_LEN)
			IdsBadBinary(psprintf("Uuid id %u is truncated.", i + 1));
		p = pq_getmsgbytes(buf, len);
		if (kind == KPI_ID_TEXT &&
			(memchr(p, '\0', len) != NULL || !pg_verifymbstr(p, len, true)))
			IdsBadBinary(psprintf("Text id %u is not valid in the database encoding.", i + 1));
		(void) IdsFind(ids, p, len, IdsHash(p, len), &found);
		if (found)
			IdsBadBinary(psprintf("Id %u repeats an earlier id.", i + 1));
	}
}


/* Text form: a JSON number (integer ids) or string (uuid and text ids) */

static void
AppendJsonString(StringInfo buf, const char *p, uint32 len)
{
	uint32		i;

	appendStringInfoCharMacro(buf, '"');
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) p[i];

		switch (c)
		{
			case '"':
				appendStringInfoString(buf, "\\\"");
				break;
			case '\\':
				appendStringInfoString(buf, "\\\\");
				break;
			case '\n':
				appendStringInfoString(buf, "\\n");
				break;
			case '\r':
				appendStringInfoString(buf, "\\r");
				break;
			case '\t':
				appendStringInfoString(buf, "\\t");
				break;
			default:
				if (c < 0x20)
					appendStringInfo(buf, "\\u%04x", c);
				else
					appendStringInfoCharMacro(buf, c);
		}
	}
	appendStringInfoCharMacro(buf, '"');
}

void
KpiIdsAppendJson(StringInfo buf, const KpiIds *ids, int64 key)
{
	const char *p;
	uint32		len;
	int			i;

	if (ids->kind != KPI_ID_UUID && ids->kind != KPI_ID_TEXT)
	{
		appendStringInfo(buf, INT64_FORMAT, key);
		return;
	}
	p = KpiIdsBytes(ids, key, &len);
	if (ids->kind == KPI_ID_TEXT)
	{
		AppendJsonString(buf, p, len);
		return;
	}
	/* uuid_out's canonical form */
	appendStringInfoCharMacro(buf, '"');
	for (i = 0; i < UUID_LEN; i++)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			appendStringInfoCharMacro(buf, '-');
		appendStringInfo(buf, "%02x", (unsigned char) p[i]);
	}
	appendStringInfoCharMacro(buf, '"');
}

static int
HexValue(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 8-4-4-4-12 hex digits and the closing quote, into 16 bytes */
static bool
ScanUuid(KpiScanner *scan, unsigned char *out)
{
	const char *s = scan->pos;
	int			i;

	for (i = 0; i < UUID_LEN; i++)
	{
		int			hi,
					lo;

		if ((i == 4 || i == 6 || i == 8 || i == 10) && *s++ != '-')
			return false;
		if ((hi = HexValue(s[0])) < 0 || (lo = HexValue(s[1])) < 0)
			return false;
		out[i] = (unsigned char) (hi * 16 + lo);
		s += 2;
	}
	if (*s != '"')
		return false;
	scan->pos = s + 1;
	return true;
}

/* The rest of a JSON string after its opening quote, unescaped into out */
static bool
ScanJsonString(KpiScanner *scan, StringInfo out)
{
	const char *s = scan->pos;

	for (;;)
	{
		char		c = *s++;

		if (c == '"')
			break;
		if (c == '\0' || (unsigned char) c < 0x20)
			return false;
		if (c != '\\')
		{
			appendStringInfoCharMacro(out, c);
			continue;
		}
		switch (c = *s++)
		{
			case '"':
			case '\\':
			case '/':
				appendStringInfoCharMacro(out, c);
				break;
			case 'b':
				appendStringInfoCharMacro(out, '\b');
				break;
			case 'f':
				appendStringInfoCharMacro(out, '\f');
				break;
			case 'n':
				appendStringInfoCharMacro(out, '\n');
				break;
			case 'r':
				appendStringInfoCharMacro(out, '\r');
				break;
			case 't':
				appendStringInfoCharMacro(out, '\t');
				break;
			case 'u':
				{
					pg_wchar	cp = 0;
					int			i;

					for (i = 0; i < 4; i++)
					{
						int			h = HexValue(s[i]);

						if (h < 0)
							return false;
						cp = cp * 16 + h;
					}
					s += 4;
					if (cp >= 0xD800 && cp <= 0xDBFF)
					{
						pg_wchar	lo = 0;

						if (s[0] != '\\' || s[1] != 'u')
							return false;
						for (i = 0; i < 4; i++)
						{
							int			h = HexValue(s[2 + i]);

							if (h < 0)
								return false;
							lo = lo * 16 + h;
						}
						if (lo < 0xDC00 || lo > 0xDFFF)
							return false;
						s += 6;
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					}
					else if (cp >= 0xDC00 && cp <= 0xDFFF)
						return false;
					if (cp == 0)
						return false;
					if (cp < 0x80)
						appendStringInfoCharMacro(out, (char) cp);
					else
					{
						unsigned char utf8[8];

						/* as json's \u escapes: only a UTF-8 database takes them */
						if (GetDatabaseEncoding() != PG_UTF8)
							return false;
						unicode_to_utf8(cp, utf8);
						appendBinaryStringInfo(out, (char *) utf8, pg_utf_mblen(utf8));
					}
					break;
				}
			default:
				return false;
		}
	}
	scan->pos = s;
	return pg_verifymbstr(out->data, out->len, true);
}

bool
KpiIdsScanJson(KpiScanner *scan, KpiIds *ids, int64 *key)
{
	if (ids->kind != KPI_ID_UUID && ids->kind != KPI_ID_TEXT)
		return KpiScanInt64(scan, key);
	if (!KpiScanToken(scan, "\""))
		return false;
	if (ids->kind == KPI_ID_UUID)
	{
		unsigned char bytes[UUID_LEN];

		if (!ScanUuid(scan, bytes))
			return false;
		*key = IdsKeyBytes(ids, (const char *) bytes, UUID_LEN);
	}
	else
	{
		StringInfoData s;

		initStringInfo(&s);
		if (!ScanJsonString(scan, &s))
			return false;
		*key = IdsKeyBytes(ids, s.data, s.len);
		pfree(s.data);
	}
	return true;
}

/*
 * Why the len bytes at p are not KpiIdsSend's form of exactly count ids of
 * kind (KPI_ID_NONE: uuid or text) in strictly increasing byte order (so
 * none repeats), texts valid in the database encoding, or NULL; mismatch
 * says what a wrong count is.  A walk over the bytes with no dictionary
 * built, for the flat forms of summaries: every value produced passes here.
 */
const char *
KpiIdsSentError(const char *p, Size len, KpiIdKind kind, uint32 count, const char *mismatch)
{
	const char *end = p + len;
	const char *prev = NULL;
	uint32		prev_len = 0;
	uint32		n,
				i;
	int			found;

	if (len < 5)
		return "The id dictionary is invalid.";
	found = (uint8) *p++;
	if ((found != KPI_ID_UUID && found != KPI_ID_TEXT) ||
		(kind != KPI_ID_NONE && found != (int) kind))
		return "The id dictionary is invalid.";
	memcpy(&n, p, 4);
	n = pg_ntoh32(n);
	p += 4;
	if (n != count)
		return mismatch;
	for (i = 0; i < n; i++)
	{
		uint32		idlen = UUID_LEN;
		int			c;

		if (found == KPI_ID_TEXT)
		{
			if (end - p < 4)
				return "The id dictionary is truncated.";
			memcpy(&idlen, p, 4);
			idlen = pg_ntoh32(idlen);
			p += 4;
		}
		if ((uint32) (end - p) < idlen)
			return "The id dictionary is truncated.";
		if (found == KPI_ID_TEXT &&
			(memchr(p, '\0', idlen) != NULL || !pg_verifymbstr(p, idlen, true)))
			return "A text id is not valid in the database encoding.";
		if (prev != NULL &&
			((c = memcmp(prev, p, Min(prev_len, idlen))) > 0 || (c == 0 && prev_len >= idlen)))
			return "The ids are not in strictly increasing order.";
		prev = p;
		prev_len = idlen;
		p += idlen;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (p != end)
		return "Bytes follow the ids.";
	return NULL;
}

/*
 * JSON strings of other types' text forms (the covariate names of
 * coxph_model): the escaping of the text ids above, and its reading back
 * after the opening quote, unescaped into out and checked in the database
 * encoding.
 */
void
KpiAppendJsonString(StringInfo buf, const char *p, uint32 len)
{
	AppendJsonString(buf, p, len);
}

bool
KpiScanJsonString(KpiScanner *scan, StringInfo out)
{
	return ScanJsonString(scan, out);
}
