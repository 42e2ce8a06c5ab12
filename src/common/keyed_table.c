/*-------------------------------------------------------------------------
 *
 * keyed_table.c
 *	  A hash table from int64 keys (entities, customers, durations) to
 *	  fixed-width rows of int64 words, for the aggregates whose state holds
 *	  one row per key: the rows of all keys in one array grown by doubling,
 *	  so memory is keys x (width + 1) words plus 2 to 4 four-byte index
 *	  buckets per key.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"


#define KEYED_INITIAL_ROWS 16
#define KEYED_MAX_ROWS (PG_UINT32_MAX / 4)	/* buckets fit in uint32 */

/* What binary input errors call a serialized table */
#define KEYED_NAME "keyed table"

KpiKeyedTable *
KpiKeyedCreate(MemoryContext cxt, int width)
{
	/* small to start with: the activity aggregates keep one table per group */
	return KpiKeyedCreateSized(cxt, width, KEYED_INITIAL_ROWS);
}

/* A new empty index of buckets (a power of 2) buckets */
static void
KeyedIndexAlloc(KpiKeyedTable *t, uint32 buckets)
{
	t->mask = buckets - 1;
	t->index = MemoryContextAllocExtended(t->cxt, sizeof(uint32) * (Size) buckets,
										  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
}

/* The first empty bucket from key's own: where a new key goes */
static inline uint32
KeyedEmptyBucket(const KpiKeyedTable *t, int64 key)
{
	uint32		b = KpiHash64((uint64) key) & t->mask;

	while (t->index[b] != 0)
		b = (b + 1) & t->mask;
	return b;
}

/* A table with room for capacity (> 0) keys before it grows */
KpiKeyedTable *
KpiKeyedCreateSized(MemoryContext cxt, int width, uint32 capacity)
{
	KpiKeyedTable *t = MemoryContextAllocZero(cxt, sizeof(KpiKeyedTable));

	Assert(capacity > 0 && capacity <= KEYED_MAX_ROWS);
	t->cxt = cxt;
	t->width = width;
	t->capacity = capacity;
	t->dense = true;
	KeyedIndexAlloc(t, pg_nextpower2_32(2 * capacity));
	t->keys = MemoryContextAllocHuge(cxt, sizeof(int64) * (Size) capacity);
	t->rows = MemoryContextAllocHuge(cxt, sizeof(int64) * width * (Size) capacity);
	return t;
}

/* Room for one more row, the index kept at most half full */
static void
KeyedGrow(KpiKeyedTable *t)
{
	uint32		i;

	if (t->capacity > KEYED_MAX_ROWS / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many entities in one aggregate")));
	t->capacity *= 2;
	t->keys = repalloc_huge(t->keys, sizeof(int64) * (Size) t->capacity);
	t->rows = repalloc_huge(t->rows, sizeof(int64) * t->width * (Size) t->capacity);
	if ((Size) t->mask + 1 >= 2 * (Size) t->capacity)
		return;
	pfree(t->index);
	KeyedIndexAlloc(t, pg_nextpower2_32(2 * t->capacity));
	for (i = 0; i < t->count; i++)
	{
		t->index[KeyedEmptyBucket(t, t->keys[i])] = i + 1;
		CHECK_FOR_INTERRUPTS();
	}
}

/* KpiKeyedLookup's miss: a new zeroed row for key, whose probe ended at bucket */
int64 *
KpiKeyedInsert(KpiKeyedTable *t, int64 key, uint32 bucket)
{
	uint32		i;

	if (t->count == t->capacity)
	{
		KeyedGrow(t);
		bucket = KeyedEmptyBucket(t, key);
	}
	i = t->count++;
	t->index[bucket] = i + 1;
	t->keys[i] = key;
	t->dense = t->dense && key == i;
	memset(t->rows + (Size) i * t->width, 0, sizeof(int64) * t->width);
	return t->rows + (Size) i * t->width;
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

/* Free a table that is no longer needed (its rows go with it) */
void
KpiKeyedFree(KpiKeyedTable *t)
{
	pfree(t->index);
	pfree(t->keys);
	pfree(t->rows);
	pfree(t);
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
	uint32		n = (uint32) KpiRecvCount(buf, KEYED_NAME, 4, KEYED_MAX_ROWS,
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
