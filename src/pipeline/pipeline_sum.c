/*-------------------------------------------------------------------------
 *
 * pipeline_sum.c
 *	  Exact sums of doubles for the pipeline summary: rounding, the
 *	  canonical expansion of the text and binary forms, and reading it back.
 *
 * The sums are integers N of 2^-1074 units in 64-bit limbs (pipeline.h).
 * Adding doubles to N is exact integer addition, so N, and everything
 * computed from it here, depends only on the multiset of numbers added,
 * never on their order or on how partial sums were merged.  The per-row
 * addition into a summary's window is inline in pipeline.c; this file has
 * what runs once per value read or written.
 *
 *-------------------------------------------------------------------------
 */
#include "pipeline.h"

#include <math.h>

#include "port/pg_bitutils.h"

/* Add a finite double x >= 0 to the whole-range limbs */
static void
LimbsAddDouble(uint64 *limbs, double x)
{
	uint64		lo,
				hi,
				carry;
	int			k;

	Assert(x >= 0.0 && isfinite(x));
	if (!PipelineSplitDouble(x, &k, &lo, &hi))
		return;
	limbs[k] += lo;
	carry = hi + (limbs[k] < lo);
	for (k++; carry != 0 && k < PIPELINE_LIMBS; k++)
	{
		limbs[k] += carry;
		carry = limbs[k] < carry;
	}
	Assert(carry == 0);
}

static int
LimbsCompare(const uint64 *a, const uint64 *b)
{
	int			k;

	for (k = PIPELINE_LIMBS - 1; k >= 0; k--)
		if (a[k] != b[k])
			return a[k] < b[k] ? -1 : 1;
	return 0;
}

/* a -= b, where a >= b */
static void
LimbsSubtract(uint64 *a, const uint64 *b)
{
	uint64		borrow = 0;
	int			k;

	for (k = 0; k < PIPELINE_LIMBS; k++)
	{
		uint64		d = a[k] - b[k] - borrow;

		borrow = (a[k] < b[k]) || (a[k] - b[k] < borrow);
		a[k] = d;
	}
	Assert(borrow == 0);
}

double
PipelineLimbsRound(const uint64 *limbs, int lo, int n)
{
	int			t = n - 1,
				lead,
				top_bit;
	uint64		top,
				next,
				w,
				rest,
				mant;
	bool		sticky;

	while (t >= 0 && limbs[t] == 0)
		t--;
	if (t < 0)
		return 0.0;
	top = limbs[t];
	next = t > 0 ? limbs[t - 1] : 0;
	lead = pg_leftmost_one_pos64(top);
	top_bit = 64 * (lo + t) + lead;
	if (top_bit < 53)
		return ldexp((double) top, -1074);	/* fewer than 54 bits: exact */

	/* the 64 bits from the leading one down, and whether any is below */
	if (lead == 63)
	{
		w = top;
		rest = next;
	}
	else
	{
		w = (top << (63 - lead)) | (next >> (lead + 1));
		rest = next << (63 - lead);
	}
	sticky = (w & 0x3FF) != 0 || rest != 0;
	for (int j = t - 2; j >= 0 && !sticky; j--)
		sticky = limbs[j] != 0;

	/* 53 bits, rounded to nearest, ties to even by the round bit */
	mant = w >> 11;
	if ((w >> 10) & 1 && (sticky || (mant & 1)))
		mant++;
	return ldexp((double) mant, top_bit - 52 - 1074);
}

/*
 * The smallest value that rounds to infinity is DBL_MAX + 2^970 (half an
 * ulp, and DBL_MAX's last bit is odd): 54 ones from bit 2044 to 2097, the
 * top 4 bits of limb 31 and the low 50 of limb 32.  A window below limb 32
 * holds less than 2^974.
 */
bool
PipelineLimbsFinite(const uint64 *limbs, int lo, int n)
{
	const uint64 top_limit = (UINT64CONST(1) << 50) - 1;
	uint64		l31,
				l32;

	if (lo + n <= 32)
		return true;
	l32 = limbs[32 - lo];
	l31 = 31 >= lo ? limbs[31 - lo] : 0;
	return l32 < top_limit ||
		(l32 == top_limit && l31 < UINT64CONST(0xF000000000000000));
}

int
PipelineLimbsExpansion(const uint64 *limbs, int lo, int n, double *terms)
{
	uint64		mag[PIPELINE_LIMBS] = {0};
	bool		negative = false;
	int			count = 0;

	Assert(lo >= 0 && n >= 0 && lo + n <= PIPELINE_LIMBS);
	memcpy(mag + lo, limbs, sizeof(uint64) * n);
	for (;;)
	{
		uint64		v_limbs[PIPELINE_LIMBS] = {0};
		double		v = PipelineLimbsRound(mag, 0, PIPELINE_LIMBS);

		terms[count++] = negative ? -v : v;
		if (v == 0.0)
			break;				/* the value is 0 */
		/* the remainder, value - v, as a magnitude and a sign */
		LimbsAddDouble(v_limbs, v);
		if (LimbsCompare(mag, v_limbs) >= 0)
			LimbsSubtract(mag, v_limbs);
		else
		{
			LimbsSubtract(v_limbs, mag);
			memcpy(mag, v_limbs, sizeof(mag));
			negative = !negative;
		}
		for (n = 0; n < PIPELINE_LIMBS && mag[n] == 0; n++)
			;
		if (n == PIPELINE_LIMBS)
			break;
		/* each remainder is at most half an ulp of its term: 53 bits fewer */
		Assert(count < PIPELINE_MAX_TERMS);
	}
	return count;
}

bool
PipelineLimbsFromTerms(const double *terms, int nterms, uint64 *limbs)
{
	uint64		negative[PIPELINE_LIMBS] = {0};
	int			i;

	/* at most 64 terms below 2^1024 each: below 2^1030, within the limbs */
	Assert(nterms <= PIPELINE_MAX_TERMS);
	memset(limbs, 0, sizeof(uint64) * PIPELINE_LIMBS);
	for (i = 0; i < nterms; i++)
	{
		Assert(isfinite(terms[i]));
		if (terms[i] > 0.0)
			LimbsAddDouble(limbs, terms[i]);
		else if (terms[i] < 0.0)
			LimbsAddDouble(negative, -terms[i]);
	}
	if (LimbsCompare(limbs, negative) < 0)
		return false;
	LimbsSubtract(limbs, negative);
	return true;
}

/* a * b = *hi * 2^64 + *lo, for 64-bit a and b */
static inline void
Multiply64(uint64 a, uint64 b, uint64 *hi, uint64 *lo)
{
	uint64		a0 = a & 0xFFFFFFFF,
				a1 = a >> 32,
				b0 = b & 0xFFFFFFFF,
				b1 = b >> 32,
				p00 = a0 * b0,
				p01 = a0 * b1,
				p10 = a1 * b0,
				mid = (p00 >> 32) + (p01 & 0xFFFFFFFF) + (p10 & 0xFFFFFFFF);

	*lo = (p00 & 0xFFFFFFFF) | (mid << 32);
	*hi = a1 * b1 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/*
 * The window times 10^scale is computed limb by limb, exactly; the binary
 * point lies at bit 50 of limb 16 (1074 = 64 * 16 + 50), so the integer
 * part is limb 16 from bit 50 up and limb 17, which must leave it below
 * 2^62, and bit 49 of limb 16 is the half.
 */
bool
PipelineLimbsScaled(const uint64 *limbs, int lo, int n, int scale, uint64 *units)
{
	uint64		p = 1,
				carry = 0,
				l16 = 0,
				l17 = 0;
	int			a,
				i;

	Assert(scale >= 0 && scale <= 18);
	for (i = 0; i < scale; i++)
		p *= 10;
	for (a = lo; a < Max(lo + n, 18) || carry != 0; a++)
	{
		uint64		hi,
					low;

		Multiply64(a < lo + n ? limbs[a - lo] : 0, p, &hi, &low);
		low += carry;
		hi += low < carry;
		carry = hi;
		if (a == 16)
			l16 = low;
		else if (a == 17)
			l17 = low;
		else if (a > 17 && low != 0)
			return false;
	}
	if (l17 >> 48 != 0)
		return false;
	*units = (l16 >> 50) | (l17 << 14);
	if (l16 & (UINT64CONST(1) << 49))
		(*units)++;				/* a half or more rounds up */
	return true;
}
