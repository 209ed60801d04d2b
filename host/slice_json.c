/* slice_json.c -- a strict, bounded recursive-descent reader for the JSON document of one keyspace slice. */
#include "pn_merge.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Containers nested deeper than this are refused, so no input can exhaust
 * the stack; report.c never writes more than three levels. */
#define MAX_DEPTH 32
/* Keys and the short strings we compare are decoded into buffers this big;
 * anything longer cannot be a name we know. */
#define SHORT_STRING 32

/* Where we are in the text. Every read checks pos < len first. */
typedef struct reader {
    const char *text;
    size_t len, pos;
    pn_error *err;
} reader;

/* The top-level keys we know, one bit each in doc.seen. */
typedef enum key {
    K_FORMAT_VERSION, K_TOOL, K_HOSTS, K_PER_HOST, K_GUESTS, K_MODEL, K_ENGINE,
    K_KEYSPACE, K_SLICE, K_SCENARIOS, K_COUNTS, K_ROWS, K_EXPECTED, K_COST,
    K_COUNT /* how many keys there are, not a key */
} key;

static const char *const KEY_NAMES[K_COUNT] = {
    "format_version", "tool", "hosts", "guests_per_host", "guests", "model", "engine",
    "keyspace", "slice", "scenarios", "counts", "rows", "expected_savings_percent", "cost"};

#define REQUIRED_KEYS                                                                      \
    ((1u << K_FORMAT_VERSION) | (1u << K_HOSTS) | (1u << K_PER_HOST) | (1u << K_GUESTS) | \
     (1u << K_MODEL) | (1u << K_KEYSPACE) | (1u << K_SLICE) | (1u << K_COUNTS))

/* The counts array as read, before we know how many hosts there are. */
typedef struct count_list {
    mpz_t *item;
    size_t n, cap;
} count_list;

/* Everything the document said, plus the byte offset of each known value so
 * a later consistency check can point at it. */
typedef struct doc {
    unsigned seen;
    size_t at[K_COUNT];
    uint64_t format_version, hosts, per_host, guests, keyspace;
    pn_model model;
    bool has_skip, has_limit;
    uint64_t skip, limit;
    mpz_t scenarios;
    count_list counts;
} doc;

/* Fills the error buffer with the problem and the byte offset r->pos;
 * always returns PN_ERR_USAGE. */
__attribute__((format(printf, 2, 3)))
static pn_status fail_at(const reader *r, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return pn_fail(r->err, PN_ERR_USAGE, "%s at byte %zu", what, r->pos);
}

/* Skips JSON whitespace (space, tab, CR, LF) and nothing else. */
static void skip_ws(reader *r)
{
    while (r->pos < r->len) {
        char c = r->text[r->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        r->pos++;
    }
}

/* The next byte after whitespace (not consumed), or -1 at the end of the text. */
static int peek(reader *r)
{
    skip_ws(r);
    return r->pos < r->len ? (unsigned char)r->text[r->pos] : -1;
}

/* Consumes the byte c after whitespace, or fails saying it was expected. */
static pn_status expect(reader *r, char c)
{
    if (peek(r) != (unsigned char)c)
        return fail_at(r, "expected '%c'", c);
    r->pos++;
    return PN_OK;
}

/* Reads the four hex digits of a \u escape into *out; false if they are not there. */
static bool read_hex4(reader *r, unsigned *out)
{
    if (r->len - r->pos < 4)
        return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = r->text[r->pos + (size_t)i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        v = v * 16 + d;
    }
    r->pos += 4;
    *out = v;
    return true;
}

/* Decodes one escape after a backslash into *c; *plain is cleared when the
 * escape names a character outside printable ASCII (or NUL). */
static pn_status read_escape(reader *r, unsigned char *c, bool *plain)
{
    static const char FROM[] = "\"\\/bfnrt", TO[] = "\"\\/\b\f\n\r\t";
    if (r->pos >= r->len)
        return fail_at(r, "unterminated string");
    char e = r->text[r->pos];
    const char *hit = e ? strchr(FROM, e) : NULL;
    if (hit) {
        r->pos++;
        *c = (unsigned char)TO[hit - FROM];
        return PN_OK;
    }
    if (e != 'u')
        return fail_at(r, "invalid escape in a string");
    r->pos++;
    unsigned v;
    if (!read_hex4(r, &v))
        return fail_at(r, "invalid \\u escape in a string");
    if (v == 0 || v > 0x7f)
        *plain = false;
    *c = (unsigned char)v;
    return PN_OK;
}

/* Reads a string literal starting at its opening quote, checking every escape
 * and refusing raw control characters. When buf is not NULL the decoded text
 * goes there, NUL-terminated and cut at cap-1 bytes; *exact then says it fit
 * and is plain ASCII without NUL, so comparing it with a known name is sound. */
static pn_status read_string(reader *r, char *buf, size_t cap, bool *exact)
{
    size_t n = 0;
    bool plain = true;
    r->pos++; /* the opening quote */
    for (;;) {
        if (r->pos >= r->len)
            return fail_at(r, "unterminated string");
        unsigned char c = (unsigned char)r->text[r->pos];
        if (c == '"')
            break;
        if (c < 0x20)
            return fail_at(r, "control character in a string");
        r->pos++;
        if (c == '\\') {
            pn_status st = read_escape(r, &c, &plain);
            if (st != PN_OK)
                return st;
        } else if (c >= 0x80) {
            plain = false;
        }
        if (buf && n + 1 < cap)
            buf[n++] = (char)c;
        else
            plain = false;
    }
    r->pos++; /* the closing quote */
    if (buf) {
        buf[n] = '\0';
        *exact = plain;
    }
    return PN_OK;
}

/* Consumes a run of decimal digits; returns how many there were. */
static size_t read_digits(reader *r)
{
    size_t start = r->pos;
    while (r->pos < r->len && r->text[r->pos] >= '0' && r->text[r->pos] <= '9')
        r->pos++;
    return r->pos - start;
}

/* Scans a number by JSON's grammar -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * starting at r->pos. *start and *end bound its integer digits; *plain is
 * true for a non-negative integer with no fraction or exponent. */
static pn_status scan_number(reader *r, size_t *start, size_t *end, bool *plain)
{
    bool negative = r->pos < r->len && r->text[r->pos] == '-';
    r->pos += negative;
    *start = r->pos;
    size_t digits = read_digits(r);
    *end = r->pos;
    if (digits == 0)
        return fail_at(r, "expected a digit");
    if (digits > 1 && r->text[*start] == '0')
        return fail_at(r, "leading zero in a number");
    bool fraction = r->pos < r->len && r->text[r->pos] == '.';
    if (fraction) {
        r->pos++;
        if (read_digits(r) == 0)
            return fail_at(r, "expected a digit after '.'");
    }
    bool exponent = r->pos < r->len && (r->text[r->pos] == 'e' || r->text[r->pos] == 'E');
    if (exponent) {
        r->pos++;
        if (r->pos < r->len && (r->text[r->pos] == '+' || r->text[r->pos] == '-'))
            r->pos++;
        if (read_digits(r) == 0)
            return fail_at(r, "expected a digit in an exponent");
    }
    *plain = !negative && !fraction && !exponent;
    return PN_OK;
}

/* Scans a non-negative integer literal for the field `name`, leaving its
 * digits in [*start, *end). Any other value is a type error naming the field. */
static pn_status scan_unsigned(reader *r, const char *name, size_t *start, size_t *end)
{
    int c = peek(r);
    if (c != '-' && (c < '0' || c > '9'))
        return fail_at(r, "%s must be a non-negative integer", name);
    size_t at = r->pos;
    bool plain;
    pn_status st = scan_number(r, start, end, &plain);
    if (st == PN_OK && !plain) {
        r->pos = at;
        return fail_at(r, "%s must be a non-negative integer", name);
    }
    return st;
}

/* Reads a non-negative integer that must fit in 64 bits into *out. */
static pn_status read_u64(reader *r, const char *name, uint64_t *out)
{
    size_t start, end;
    pn_status st = scan_unsigned(r, name, &start, &end);
    if (st != PN_OK)
        return st;
    uint64_t v = 0;
    for (size_t i = start; i < end; i++) {
        unsigned d = (unsigned)(r->text[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            r->pos = start;
            return fail_at(r, "%s does not fit in 64 bits", name);
        }
        v = v * 10 + d;
    }
    *out = v;
    return PN_OK;
}

/* Reads a non-negative integer of any size into out, through GMP. */
static pn_status read_big(reader *r, const char *name, mpz_t out)
{
    size_t start, end;
    pn_status st = scan_unsigned(r, name, &start, &end);
    if (st != PN_OK)
        return st;
    size_t n = end - start;
    char small[64];
    char *digits = n < sizeof small ? small : malloc(n + 1);
    if (!digits)
        return pn_fail(r->err, PN_ERR_NOMEM, "out of memory for a %zu-digit count", n);
    memcpy(digits, r->text + start, n);
    digits[n] = '\0';
    int bad = mpz_set_str(out, digits, 10);
    if (digits != small)
        free(digits);
    if (bad) { /* cannot happen: the span holds only digits */
        r->pos = start;
        return fail_at(r, "%s is not a number", name);
    }
    return PN_OK;
}

/* Consumes the literal `word` (true, false, null) or fails. */
static pn_status read_literal(reader *r, const char *word)
{
    size_t n = strlen(word);
    if (r->len - r->pos < n || memcmp(r->text + r->pos, word, n) != 0)
        return fail_at(r, "expected a JSON value");
    r->pos += n;
    return PN_OK;
}

/* Called for each member of an object, with r->pos at its value, which sits
 * at nesting depth `depth`; it must consume that value. */
typedef pn_status (*member_fn)(reader *r, void *ctx, const char *key, bool exact, int depth);
/* Called for each element of an array, at nesting depth `depth`; it must consume it. */
typedef pn_status (*element_fn)(reader *r, void *ctx, int depth);

static pn_status skip_value(reader *r, int depth);

/* Reads the object opening at r->pos, itself at nesting depth `depth`
 * (refused beyond MAX_DEPTH), calling member() for each key in order. */
static pn_status read_object(reader *r, int depth, member_fn member, void *ctx)
{
    if (depth > MAX_DEPTH)
        return fail_at(r, "nesting deeper than %d levels", MAX_DEPTH);
    r->pos++; /* '{' */
    if (peek(r) == '}') {
        r->pos++;
        return PN_OK;
    }
    for (;;) {
        if (peek(r) != '"')
            return fail_at(r, "expected a key string");
        char name[SHORT_STRING];
        bool exact;
        pn_status st = read_string(r, name, sizeof name, &exact);
        if (st == PN_OK)
            st = expect(r, ':');
        if (st == PN_OK) {
            skip_ws(r);
            st = member(r, ctx, name, exact, depth + 1);
        }
        if (st != PN_OK)
            return st;
        int c = peek(r);
        if (c != ',' && c != '}')
            return fail_at(r, "expected ',' or '}'");
        r->pos++;
        if (c == '}')
            return PN_OK;
    }
}

/* Reads the array opening at r->pos, at nesting depth `depth` (refused beyond
 * MAX_DEPTH), calling element() for each element in order. */
static pn_status read_array(reader *r, int depth, element_fn element, void *ctx)
{
    if (depth > MAX_DEPTH)
        return fail_at(r, "nesting deeper than %d levels", MAX_DEPTH);
    r->pos++; /* '[' */
    if (peek(r) == ']') {
        r->pos++;
        return PN_OK;
    }
    for (;;) {
        skip_ws(r);
        pn_status st = element(r, ctx, depth + 1);
        if (st != PN_OK)
            return st;
        int c = peek(r);
        if (c != ',' && c != ']')
            return fail_at(r, "expected ',' or ']'");
        r->pos++;
        if (c == ']')
            return PN_OK;
    }
}

/* A member_fn that validates and discards the value. */
static pn_status skip_member(reader *r, void *ctx, const char *key, bool exact, int depth)
{
    (void)ctx, (void)key, (void)exact;
    return skip_value(r, depth);
}

/* An element_fn that validates and discards the element. */
static pn_status skip_element(reader *r, void *ctx, int depth)
{
    (void)ctx;
    return skip_value(r, depth);
}

/* Validates and discards any JSON value at r->pos, at nesting depth `depth`. */
static pn_status skip_value(reader *r, int depth)
{
    size_t start, end;
    bool plain;
    switch (peek(r)) {
    case '{': return read_object(r, depth, skip_member, NULL);
    case '[': return read_array(r, depth, skip_element, NULL);
    case '"': return read_string(r, NULL, 0, NULL);
    case 't': return read_literal(r, "true");
    case 'f': return read_literal(r, "false");
    case 'n': return read_literal(r, "null");
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return scan_number(r, &start, &end, &plain);
    default: return fail_at(r, "expected a JSON value");
    }
}

/* Skips a value that must open with `open` ('{', '[', '"' or '-' for any
 * number); otherwise a type error saying the field must be `what`. */
static pn_status skip_typed(reader *r, const char *name, char open, const char *what, int depth)
{
    int c = peek(r);
    bool number = c == '-' || (c >= '0' && c <= '9');
    if (open == '-' ? !number : c != (unsigned char)open)
        return fail_at(r, "%s must be %s", name, what);
    return skip_value(r, depth);
}

/* Reads a string that must be one of our short names into buf (SHORT_STRING
 * bytes); a longer or non-ASCII one leaves buf empty, matching nothing. */
static pn_status read_name(reader *r, const char *field, char *buf)
{
    if (peek(r) != '"')
        return fail_at(r, "%s must be a string", field);
    bool exact;
    pn_status st = read_string(r, buf, SHORT_STRING, &exact);
    if (st == PN_OK && !exact)
        buf[0] = '\0';
    return st;
}

/* "tool": when present it must name us. */
static pn_status read_tool(reader *r)
{
    char name[SHORT_STRING];
    size_t at = r->pos;
    pn_status st = read_name(r, "tool", name);
    if (st == PN_OK && strcmp(name, "powernap_calculator") != 0) {
        r->pos = at;
        return fail_at(r, "tool is not \"powernap_calculator\"");
    }
    return st;
}

/* "model": "uniform" or "slots". */
static pn_status read_model(reader *r, pn_model *out)
{
    char name[SHORT_STRING];
    size_t at = r->pos;
    pn_status st = read_name(r, "model", name);
    if (st == PN_OK && !pn_model_parse(name, out)) {
        r->pos = at;
        return fail_at(r, "model must be \"uniform\" or \"slots\"");
    }
    return st;
}

/* A member of "slice": skip and limit (once each); anything else is skipped. */
static pn_status slice_member(reader *r, void *ctx, const char *name, bool exact, int depth)
{
    doc *d = ctx;
    bool is_skip = exact && strcmp(name, "skip") == 0;
    bool is_limit = exact && strcmp(name, "limit") == 0;
    if (!is_skip && !is_limit)
        return skip_value(r, depth);
    bool *seen = is_skip ? &d->has_skip : &d->has_limit;
    if (*seen)
        return fail_at(r, "duplicate key \"slice.%s\"", name);
    *seen = true;
    return read_u64(r, is_skip ? "slice.skip" : "slice.limit", is_skip ? &d->skip : &d->limit);
}

/* One element of "counts": appended as a new GMP integer. The list may not
 * outgrow the largest histogram a valid query can have. */
static pn_status count_element(reader *r, void *ctx, int depth)
{
    (void)depth;
    count_list *list = ctx;
    if (list->n > PN_MAX_HOSTS)
        return fail_at(r, "counts has more than %llu entries", PN_MAX_HOSTS + 1);
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        mpz_t *grown = realloc(list->item, cap * sizeof *grown);
        if (!grown)
            return pn_fail(r->err, PN_ERR_NOMEM, "out of memory for %zu counts", cap);
        list->item = grown;
        list->cap = cap;
    }
    mpz_init(list->item[list->n++]);
    return read_big(r, "every entry of counts", list->item[list->n - 1]);
}

/* Which known key `name` is; K_COUNT when none. */
static key key_of(const char *name, bool exact)
{
    for (int k = 0; exact && k < K_COUNT; k++)
        if (strcmp(name, KEY_NAMES[k]) == 0)
            return (key)k;
    return K_COUNT;
}

/* Reads the value of the known top-level key k into d, checking its type. */
static pn_status read_known(reader *r, doc *d, key k, int depth)
{
    const char *name = KEY_NAMES[k];
    switch (k) {
    case K_FORMAT_VERSION: return read_u64(r, name, &d->format_version);
    case K_TOOL: return read_tool(r);
    case K_HOSTS: return read_u64(r, name, &d->hosts);
    case K_PER_HOST: return read_u64(r, name, &d->per_host);
    case K_GUESTS: return read_u64(r, name, &d->guests);
    case K_MODEL: return read_model(r, &d->model);
    case K_ENGINE: return skip_typed(r, name, '"', "a string", depth);
    case K_KEYSPACE: return read_u64(r, name, &d->keyspace);
    case K_SLICE:
        if (peek(r) != '{')
            return fail_at(r, "slice must be an object");
        return read_object(r, depth, slice_member, d);
    case K_SCENARIOS: return read_big(r, name, d->scenarios);
    case K_COUNTS:
        if (peek(r) != '[')
            return fail_at(r, "counts must be an array");
        return read_array(r, depth, count_element, &d->counts);
    case K_ROWS: return skip_typed(r, name, '[', "an array", depth);
    case K_EXPECTED: return skip_typed(r, name, '-', "a number", depth);
    case K_COST: return skip_typed(r, name, '{', "an object", depth);
    case K_COUNT: break;
    }
    return skip_value(r, depth);
}

/* A top-level member: known keys are read once each, unknown ones skipped. */
static pn_status top_member(reader *r, void *ctx, const char *name, bool exact, int depth)
{
    doc *d = ctx;
    key k = key_of(name, exact);
    if (k == K_COUNT)
        return skip_value(r, depth);
    if (d->seen & (1u << k))
        return fail_at(r, "duplicate key \"%s\"", name);
    d->seen |= 1u << k;
    d->at[k] = r->pos;
    return read_known(r, d, k, depth);
}

/* Fails pointing at the value of key k. */
__attribute__((format(printf, 4, 5)))
static pn_status fail_key(reader *r, const doc *d, key k, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    r->pos = d->at[k];
    return fail_at(r, "%s", what);
}

/* Every required key is there, slice has skip and limit, the version is ours. */
static pn_status check_present(reader *r, const doc *d)
{
    for (int k = 0; k < K_COUNT; k++)
        if ((REQUIRED_KEYS & (1u << k)) && !(d->seen & (1u << k)))
            return pn_fail(r->err, PN_ERR_USAGE, "missing key \"%s\" (not a slice document)",
                           KEY_NAMES[k]);
    if (!d->has_skip || !d->has_limit)
        return fail_key(r, d, K_SLICE, "slice needs both skip and limit");
    if (d->format_version != 1)
        return fail_key(r, d, K_FORMAT_VERSION, "format_version %llu is not 1",
                        (unsigned long long)d->format_version);
    return PN_OK;
}

/* The question is one the tool accepts, and the keyspace and slice agree with it. */
static pn_status check_query(reader *r, const doc *d, const pn_query *q)
{
    pn_error why;
    pn_query whole = *q;
    whole.sliced = false;
    if (pn_query_resolve(&whole, &why) != PN_OK)
        return fail_key(r, d, K_HOSTS, "%s", why.msg);
    if (pn_query_check_keyspace(&whole, &why) != PN_OK)
        return fail_key(r, d, K_KEYSPACE, "%s", why.msg);
    uint64_t keyspace = whole.keyspace;
    if (d->keyspace != keyspace)
        return fail_key(r, d, K_KEYSPACE, "keyspace %llu is not (p+1)^h = %llu",
                        (unsigned long long)d->keyspace, (unsigned long long)keyspace);
    if (d->skip > keyspace || d->limit > keyspace - d->skip)
        return fail_key(r, d, K_SLICE, "slice skip %llu limit %llu runs past the keyspace %llu",
                        (unsigned long long)d->skip, (unsigned long long)d->limit,
                        (unsigned long long)keyspace);
    if (d->counts.n != d->hosts + 1)
        return fail_key(r, d, K_COUNTS, "counts has %zu entries, hosts+1 is %llu",
                        d->counts.n, (unsigned long long)(d->hosts + 1));
    return PN_OK;
}

/* Sets total to C(n, k) and returns true when it is below 2^64, as every
 * enumerated slots question is; false as soon as it is not. The running value
 * C(n-k+i, i) is at least 2^i, so this stops within about 65 steps. */
static bool binomial_fits_u64(uint64_t n, uint64_t k, mpz_t total)
{
    if (k > n - k)
        k = n - k;
    mpz_set_ui(total, 1);
    for (uint64_t i = 1; i <= k; i++) {
        mpz_mul_ui(total, total, (unsigned long)(n - k + i));
        mpz_divexact_ui(total, total, (unsigned long)i);
        if (mpz_sizeinbase(total, 2) > 64)
            return false;
    }
    return true;
}

/* The counts are possible: k napping hosts leave m = h-k hosts with 1..p
 * guests each, so bins with m > g or m*p < g are empty; all counts together
 * are at most the slice's scenarios (uniform: one each) or, for slots, at
 * most the total weight C(h*p, g), which an enumerating engine keeps below
 * 2^64; and "scenarios", when present, is their sum. */
static pn_status check_counts(reader *r, const doc *d, mpz_t sum)
{
    mpz_set_ui(sum, 0);
    for (uint64_t k = 0; k <= d->hosts; k++) {
        uint64_t m = d->hosts - k;
        if (mpz_sgn(d->counts.item[k]) != 0 && (m > d->guests || m * d->per_host < d->guests))
            return fail_key(r, d, K_COUNTS, "counts[%llu] is not 0, yet no scenario has %llu "
                            "napping hosts", (unsigned long long)k, (unsigned long long)k);
        mpz_add(sum, sum, d->counts.item[k]);
    }
    bool too_many = mpz_cmp_ui(sum, (unsigned long)d->limit) > 0;
    if (d->model == PN_MODEL_SLOTS) {
        mpz_t total;
        mpz_init(total);
        bool fits = binomial_fits_u64(d->hosts * d->per_host, d->guests, total);
        too_many = !fits || mpz_cmp(sum, total) > 0 || (d->limit == 0 && mpz_sgn(sum) != 0);
        mpz_clear(total);
        if (!fits)
            return fail_key(r, d, K_GUESTS, "the slots model's total weight is 2^64 or more, "
                            "which no enumerating engine slices");
    }
    if (too_many)
        return fail_key(r, d, K_COUNTS, "counts add up to more than the slice can hold");
    if ((d->seen & (1u << K_SCENARIOS)) && mpz_cmp(sum, d->scenarios) != 0)
        return fail_key(r, d, K_SCENARIOS, "scenarios is not the sum of counts");
    return PN_OK;
}

/* Runs every check on a fully read document; on success moves its counts
 * into out (whose histogram this allocates). */
static pn_status finish(reader *r, doc *d, pn_slice *out)
{
    pn_status st = check_present(r, d);
    if (st != PN_OK)
        return st;
    pn_query q = {.hosts = d->hosts, .per_host = d->per_host, .guests = d->guests,
                  .model = d->model, .sliced = true, .skip = d->skip, .limit = d->limit};
    st = check_query(r, d, &q);
    if (st != PN_OK)
        return st;
    mpz_t sum;
    mpz_init(sum);
    st = check_counts(r, d, sum);
    mpz_clear(sum);
    if (st == PN_OK)
        st = pn_histogram_init(&out->hist, d->hosts, r->err);
    if (st != PN_OK)
        return st;
    for (uint64_t k = 0; k <= d->hosts; k++)
        mpz_swap(out->hist.bins[k], d->counts.item[k]);
    out->query = q;
    out->keyspace = d->keyspace;
    return PN_OK;
}

/* Frees what reading a document allocated. */
static void doc_clear(doc *d)
{
    for (size_t i = 0; i < d->counts.n; i++)
        mpz_clear(d->counts.item[i]);
    free(d->counts.item);
    mpz_clear(d->scenarios);
}

pn_status pn_slice_parse(const char *text, size_t len, pn_slice *out, pn_error *err)
{
    memset(out, 0, sizeof *out);
    reader r = {.text = text, .len = len, .pos = 0, .err = err};
    doc d = {0};
    mpz_init(d.scenarios);
    pn_status st = PN_OK;
    if (peek(&r) != '{')
        st = fail_at(&r, "expected a JSON object");
    if (st == PN_OK)
        st = read_object(&r, 1, top_member, &d);
    if (st == PN_OK && peek(&r) != -1)
        st = fail_at(&r, "unexpected data after the document");
    if (st == PN_OK)
        st = finish(&r, &d, out);
    doc_clear(&d);
    if (st != PN_OK)
        pn_slice_clear(out);
    return st;
}

void pn_slice_clear(pn_slice *slice)
{
    pn_histogram_clear(&slice->hist);
}
