/*-------------------------------------------------------------------------
 *
 * keyed_table.c
 *	  A hash table from int64 keys (entities, customers) to fixed-width rows
 *	  of int64 words, for the aggregates whose state holds one row per
 *	  entity: simplehash from the key to a slot, the rows of all slots in
 *	  one array grown by doubling, so memory is entities x width words.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"


typedef struct KeyedEntry
{
	int64		key;
	uint32		slot;
	char		status;
} KeyedEntry;

#define SH_PREFIX keyed
#define SH_ELEMENT_TYPE KeyedEntry
#define SH_KEY_TYPE int64
#define SH_KEY key
#define SH_HASH_KEY(tb, key) KpiHash64((uint64) (key))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

#define KEYED_INITIAL_ROWS 16

/* What binary input errors call a serialized table */
#define KEYED_NAME "keyed table"

struct KpiKeyedTable
{
	MemoryContext cxt;
	keyed_hash *hash;
	int			width;			/* int64 words per row */
	uint32		count;
	uint32		capacity;
	int64	   *keys;
	int64	   *rows;
};

KpiKeyedTable *
KpiKeyedCreate(MemoryContext cxt, int width)
{
	/* small to start with: the activity aggregates keep one table per group */
	return KpiKeyedCreateSized(cxt, width, KEYED_INITIAL_ROWS);
}

/* A table with room for capacity (> 0) keys before it grows */
KpiKeyedTable *
KpiKeyedCreateSized(MemoryContext cxt, int width, uint32 capacity)
{
	KpiKeyedTable *t = MemoryContextAllocZero(cxt, sizeof(KpiKeyedTable));

	Assert(capacity > 0 && capacity < PG_UINT32_MAX / 2);
	t->cxt = cxt;
	t->hash = keyed_create(cxt, capacity, NULL);
	t->width = width;
	t->capacity = capacity;
	t->keys = MemoryContextAlloc(cxt, sizeof(int64) * t->capacity);
	t->rows = MemoryContextAlloc(cxt, sizeof(int64) * width * t->capacity);
	return t;
}

/* The row of key, zeroed if new.  Valid until the next lookup. */
int64 *
KpiKeyedLookup(KpiKeyedTable *t, int64 key, bool *found)
{
	KeyedEntry *e = keyed_insert(t->hash, key, found);

	if (!*found)
	{
		if (t->count == t->capacity)
		{
			if (t->capacity >= PG_UINT32_MAX / 2)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many entities in one aggregate")));
			t->capacity *= 2;
			t->keys = repalloc_huge(t->keys, sizeof(int64) * t->capacity);
			t->rows = repalloc_huge(t->rows, sizeof(int64) * t->width * (Size) t->capacity);
		}
		e->slot = t->count++;
		t->keys[e->slot] = key;
		memset(t->rows + (Size) e->slot * t->width, 0, sizeof(int64) * t->width);
	}
	return t->rows + (Size) e->slot * t->width;
}

uint32
KpiKeyedCount(const KpiKeyedTable *t)
{
	return t->count;
}

int64
KpiKeyedKey(const KpiKeyedTable *t, uint32 i)
{
	return t->keys[i];
}

int64 *
KpiKeyedRow(const KpiKeyedTable *t, uint32 i)
{
	return t->rows + (Size) i * t->width;
}

void
KpiKeyedSend(StringInfo buf, const KpiKeyedTable *t)
{
	uint32		i;
	int			j;

	pq_sendint32(buf, t->count);
	for (i = 0; i < t->count; i++)
	{
		pq_sendint64(buf, t->keys[i]);
		for (j = 0; j < t->width; j++)
			pq_sendint64(buf, KpiKeyedRow(t, i)[j]);
		CHECK_FOR_INTERRUPTS();
	}
}

/* The rows KpiKeyedSend wrote, which end the input: checked as any input */
KpiKeyedTable *
KpiKeyedRecv(StringInfo buf, MemoryContext cxt, int width)
{
	KpiKeyedTable *t = KpiKeyedCreate(cxt, width);
	uint32		n = (uint32) KpiRecvCount(buf, KEYED_NAME, 4, PG_UINT32_MAX / 2,
										  (width + 1) * sizeof(int64));
	uint32		i;
	int			j;

	KpiRecvNeed(buf, KEYED_NAME, (int64) n * (width + 1) * sizeof(int64), true);
	for (i = 0; i < n; i++)
	{
		bool		found;
		int64		key = pq_getmsgint64(buf);
		int64	   *row = KpiKeyedLookup(t, key, &found);

		if (found)
			KpiBinaryInputError(KEYED_NAME, "The key " INT64_FORMAT " is repeated.", key);
		for (j = 0; j < width; j++)
			row[j] = pq_getmsgint64(buf);
		CHECK_FOR_INTERRUPTS();
	}
	return t;
}
