/*-------------------------------------------------------------------------
 *
 * mrr_currency.c
 *	  The currency of the MRR summaries (mrr_summary, customer_mrr_summary):
 *	  its validation, text and binary forms, and the rule of merges.
 *
 * Amounts are kept as integers of 1/10000 of a currency unit, and a sum is
 * only meaningful in one currency: a summary records the ISO 4217 code of
 * its amounts (three uppercase ASCII letters, 'EUR'), given to mrr_agg()
 * or customer_mrr_agg(), and merging summaries of two currencies is an
 * error naming both.  A summary without one ("unspecified": every summary
 * of a format before the currency, and of the aggregates called without
 * one) makes no claim, so merging it with one in EUR gives EUR: the
 * summaries stored before 1.3.0 still roll up with the new ones.  Amounts
 * are never converted here: doc/retention.md ("Currencies") converts them
 * first, with a table of rates and a join.
 *
 * In a summary the code takes MRR_CURRENCY_BYTES: the three letters and a
 * NUL, or all zero for none.  Text: "currency":"EUR" (no field for none);
 * binary: int8 length (0 or 3), then the letters.
 *
 *-------------------------------------------------------------------------
 */
#include "retention.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"

#define CURRENCY_LEN 3

static bool
CurrencyLetters(const char *code, int len)
{
	int			i;

	if (len != CURRENCY_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (code[i] < 'A' || code[i] > 'Z')
			return false;
	return true;
}

/* Stored bytes: all zero, or three uppercase letters and a NUL */
bool
MrrCurrencyValid(const char *bytes)
{
	if (bytes[0] == '\0')
		return bytes[1] == '\0' && bytes[2] == '\0' && bytes[3] == '\0';
	return CurrencyLetters(bytes, CURRENCY_LEN) && bytes[CURRENCY_LEN] == '\0';
}

/* Writes code ("" for none, else valid) into MRR_CURRENCY_BYTES bytes */
void
MrrSetCurrency(char *bytes, const char *code)
{
	char		copy[MRR_CURRENCY_BYTES] = {0};

	/* code may be bytes itself */
	memcpy(copy, code, strnlen(code, CURRENCY_LEN));
	memcpy(bytes, copy, MRR_CURRENCY_BYTES);
}

/*
 * The currency argument argno (not NULL) into code (MRR_CURRENCY_BYTES),
 * or 22023 naming it
 */
void
MrrCurrencyArg(FunctionCallInfo fcinfo, int argno, char *code)
{
	text	   *t = PG_GETARG_TEXT_PP(argno);

	if (!CurrencyLetters(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid currency code \"%s\"", text_to_cstring(t)),
				 errhint("A currency is an ISO 4217 code, three uppercase letters such as 'EUR' or 'USD'.")));
	memset(code, 0, MRR_CURRENCY_BYTES);
	memcpy(code, VARDATA_ANY(t), CURRENCY_LEN);
}

/*
 * The currency of a merge of summaries in currencies a and b ("" for
 * none): the one they share, the one given when the other is unspecified,
 * or 22023 naming both
 */
const char *
MrrMergeCurrency(const char *a, const char *b)
{
	if (b[0] == '\0')
		return a;
	if (a[0] == '\0' || memcmp(a, b, MRR_CURRENCY_BYTES) == 0)
		return b;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot merge MRR in %s with MRR in %s", a, b),
			 errhint("Convert the amounts to one currency first, with a table of rates joined to the rows (doc/retention.md, \"Currencies\").")));
	return NULL;				/* keep the compiler quiet */
}

/*
 * The optional "currency":"XYZ", field of a text form into code (zero for
 * none); false on a malformed one, *problem saying why
 */
bool
MrrScanCurrency(KpiScanner *scan, char *code, const char **problem)
{
	const char *start;

	memset(code, 0, MRR_CURRENCY_BYTES);
	if (!KpiScanKey(scan, "currency"))
		return true;
	*problem = "Expected \"currency\" with an ISO 4217 code of three uppercase letters, such as \"EUR\".";
	if (!KpiScanToken(scan, "\""))
		return false;
	start = scan->pos;
	while (*scan->pos >= 'A' && *scan->pos <= 'Z')
		scan->pos++;
	if (!CurrencyLetters(start, (int) (scan->pos - start)) || !KpiScanToken(scan, "\"") ||
		!KpiScanToken(scan, ","))
		return false;
	memcpy(code, start, CURRENCY_LEN);
	return true;
}

/* "currency":"XYZ", (nothing for none) */
void
MrrAppendCurrency(StringInfo buf, const char *code)
{
	if (code[0] != '\0')
		appendStringInfo(buf, "\"currency\":\"%.3s\",", code);
}

/* The binary form's currency into code: NULL, or what is wrong */
const char *
MrrRecvCurrency(StringInfo buf, char *code)
{
	int			len;

	memset(code, 0, MRR_CURRENCY_BYTES);
	if (buf->cursor >= buf->len)
		return "The currency is missing.";
	len = pq_getmsgbyte(buf);
	if (len == 0)
		return NULL;
	if (len != CURRENCY_LEN || buf->len - buf->cursor < CURRENCY_LEN)
		return "The currency must be 0 or 3 bytes long.";
	memcpy(code, pq_getmsgbytes(buf, CURRENCY_LEN), CURRENCY_LEN);
	if (!CurrencyLetters(code, CURRENCY_LEN))
		return "The currency must be three uppercase letters.";
	return NULL;
}

void
MrrSendCurrency(StringInfo buf, const char *code)
{
	int			len = code[0] == '\0' ? 0 : CURRENCY_LEN;

	pq_sendbyte(buf, len);
	pq_sendbytes(buf, code, len);
}

/* The currency as text for an accessor, NULL for none */
Datum
MrrCurrencyDatum(const char *code, bool *isnull)
{
	*isnull = code[0] == '\0';
	if (*isnull)
		return (Datum) 0;
	return PointerGetDatum(cstring_to_text_with_len(code, CURRENCY_LEN));
}
