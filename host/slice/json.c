/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.c -- a strict, bounded recursive-descent JSON reader: objects and arrays, depth capped, no key twice in one object. */
#include "slice/pn_json.h"
#include "slice/pn_json_lex.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A decoded key, kept while its object is open so a repeat can be refused. */
typedef struct key_entry {
    size_t len;
    uint64_t hash;
    char text[]; /* len bytes, then a NUL */
} key_entry;

/* One open object or array; they chain from the innermost to the top-level
 * object, which gives the depth and names the place of a repeated key. */
typedef struct frame {
    struct frame *parent;
    bool array;
    size_t index;         /* array: the element being read */
    const key_entry *key; /* object: the member being read */
    key_entry **slot;     /* object: an open-addressing set of its keys so far */
    size_t nslots, nkeys;
} frame;

/* The reader: the text and our place in it, and the containers now open. */
struct pn_json {
    pn_json_cursor in;
    int depth; /* how many containers are open */
    frame *top;
};

pn_status pn_json_fail(pn_json *j, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return pn_json_fail_at(j->in.err, pn_json_offset(j), "%s", what);
}

size_t pn_json_offset(pn_json *j)
{
    pn_json_lex_skip_ws(&j->in);
    return j->in.pos;
}

pn_error *pn_json_error(pn_json *j)
{
    return j->in.err;
}

/* ---- keys ---- */

/* FNV-1a over the decoded key. */
static uint64_t hash_key(const char *text, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 0x100000001b3ULL;
    return h;
}

/* Reads the key string at j->in.pos into a fresh entry *out, which the caller owns. */
static pn_status read_key(pn_json *j, key_entry **out)
{
    size_t start = j->in.pos;
    pn_json_sink count = {0};
    pn_status st = pn_json_lex_string(&j->in, &count); /* checks it and measures it */
    if (st != PN_OK)
        return st;
    key_entry *e = malloc(sizeof *e + count.n + 1);
    if (!e)
        return pn_fail(j->in.err, PN_ERR_NOMEM, "out of memory for a %zu-byte key", count.n);
    pn_json_sink s = {.buf = e->text, .cap = count.n + 1};
    j->in.pos = start;
    pn_json_lex_string(&j->in, &s); /* cannot fail: the same bytes passed above */
    e->len = s.n;
    e->hash = hash_key(e->text, e->len);
    *out = e;
    return PN_OK;
}

/* Doubles an object's key set (16 slots at first); false when memory runs out. */
static bool grow_keys(frame *f)
{
    size_t n = f->nslots ? f->nslots * 2 : 16;
    key_entry **slot = calloc(n, sizeof *slot);
    if (!slot)
        return false;
    for (size_t i = 0; i < f->nslots; i++) {
        if (!f->slot[i])
            continue;
        size_t k = f->slot[i]->hash & (n - 1);
        while (slot[k])
            k = (k + 1) & (n - 1);
        slot[k] = f->slot[i];
    }
    free(f->slot);
    f->slot = slot;
    f->nslots = n;
    return true;
}

/* Adds e to f's keys, which then own it; *repeat (e not kept) when it is there already. */
static bool remember_key(frame *f, key_entry *e, bool *repeat)
{
    if ((f->nkeys + 1) * 2 > f->nslots && !grow_keys(f))
        return false;
    size_t mask = f->nslots - 1;
    for (size_t i = e->hash & mask;; i = (i + 1) & mask) {
        const key_entry *k = f->slot[i];
        if (!k) {
            f->slot[i] = e;
            f->nkeys++;
            *repeat = false;
            return true;
        }
        if (k->hash == e->hash && k->len == e->len && memcmp(k->text, e->text, e->len) == 0) {
            *repeat = true;
            return true;
        }
    }
}

/* Appends text (n bytes) to buf, each byte a message should not carry as '?'. */
static void append_plain(char *buf, size_t cap, size_t *used, const char *text, size_t n)
{
    for (size_t i = 0; i < n && *used + 1 < cap; i++) {
        unsigned char c = (unsigned char)text[i];
        bool odd = c < 0x20 || c >= 0x7f || c == '"' || c == '\\';
        buf[(*used)++] = odd ? '?' : (char)c;
    }
    buf[*used] = '\0';
}

/* Names the value being read by the keys and indices that lead to it, as
 * "slice.limit" or "rows[2].count"; a long name ends in "...". */
static void describe_place(const pn_json *j, char *buf, size_t cap)
{
    const frame *chain[PN_JSON_MAX_DEPTH];
    int n = 0;
    for (const frame *f = j->top; f && n < PN_JSON_MAX_DEPTH; f = f->parent)
        chain[n++] = f;
    char part[32];
    size_t used = 0;
    buf[0] = '\0';
    for (int i = n - 1; i >= 0; i--) {
        const frame *f = chain[i];
        if (f->array) {
            snprintf(part, sizeof part, "[%zu]", f->index);
            append_plain(buf, cap, &used, part, strlen(part));
        } else if (f->key) {
            append_plain(buf, cap, &used, ".", i == n - 1 ? 0 : 1);
            append_plain(buf, cap, &used, f->key->text, f->key->len);
        }
    }
    if (used + 1 >= cap && cap > 4)
        memcpy(buf + cap - 4, "...", 4);
}

/* The cursor's name hook: the place of the value being read, for the
 * lexer's refusals that must say which value they mean. */
static void name_place(const pn_json_cursor *in, char *buf, size_t cap)
{
    const pn_json *j = (const pn_json *)(const void *)((const char *)in - offsetof(pn_json, in));
    describe_place(j, buf, cap);
}

/* Makes e (read, with its ':') the member being read in object f, at the
 * value's first byte; refuses a key the object already has. Owns e. */
static pn_status add_key(pn_json *j, frame *f, key_entry *e)
{
    pn_json_lex_skip_ws(&j->in);
    bool repeat;
    if (!remember_key(f, e, &repeat)) {
        free(e);
        return pn_fail(j->in.err, PN_ERR_NOMEM, "out of memory for %zu keys", f->nkeys + 1);
    }
    f->key = e;
    if (!repeat)
        return PN_OK;
    char place[160];
    describe_place(j, place, sizeof place);
    f->key = NULL;
    free(e);
    return pn_json_lex_fail(&j->in, "duplicate key \"%s\"", place);
}

/* ---- containers ---- */

/* Opens the container at j->in.pos (its '{' or '[') as frame f, refusing one
 * nested deeper than PN_JSON_MAX_DEPTH. */
static pn_status enter(pn_json *j, frame *f, bool array)
{
    if (j->depth >= PN_JSON_MAX_DEPTH)
        return pn_json_lex_fail(&j->in, "nesting deeper than %d levels", PN_JSON_MAX_DEPTH);
    memset(f, 0, sizeof *f);
    f->parent = j->top;
    f->array = array;
    j->top = f;
    j->depth++;
    j->in.pos++; /* '{' or '[' */
    return PN_OK;
}

/* Closes frame f, freeing its keys. */
static void leave(pn_json *j, frame *f)
{
    for (size_t i = 0; i < f->nslots; i++)
        free(f->slot[i]);
    free(f->slot);
    j->top = f->parent;
    j->depth--;
}

/* Reads the members of the object f, after its '{', through its '}'. */
static pn_status members(pn_json *j, frame *f, pn_json_member_fn member, void *ctx)
{
    if (pn_json_lex_peek(&j->in) == '}') {
        j->in.pos++;
        return PN_OK;
    }
    for (;;) {
        if (pn_json_lex_peek(&j->in) != '"')
            return pn_json_lex_fail(&j->in, "expected a key string");
        key_entry *e = NULL;
        pn_status st = read_key(j, &e);
        if (st == PN_OK && (st = pn_json_lex_expect(&j->in, ':')) != PN_OK)
            free(e);
        if (st == PN_OK)
            st = add_key(j, f, e);
        if (st == PN_OK)
            st = member(j, ctx, f->key->text, f->key->len);
        if (st != PN_OK)
            return st;
        int c = pn_json_lex_peek(&j->in);
        if (c != ',' && c != '}')
            return pn_json_lex_fail(&j->in, "expected ',' or '}'");
        j->in.pos++;
        if (c == '}')
            return PN_OK;
    }
}

/* Reads the elements of the array f, after its '[', through its ']'. */
static pn_status elements(pn_json *j, frame *f, pn_json_element_fn element, void *ctx)
{
    if (pn_json_lex_peek(&j->in) == ']') {
        j->in.pos++;
        return PN_OK;
    }
    for (;; f->index++) {
        pn_json_lex_skip_ws(&j->in);
        pn_status st = element(j, ctx, f->index);
        if (st != PN_OK)
            return st;
        int c = pn_json_lex_peek(&j->in);
        if (c != ',' && c != ']')
            return pn_json_lex_fail(&j->in, "expected ',' or ']'");
        j->in.pos++;
        if (c == ']')
            return PN_OK;
    }
}

/* Reads the object opening at j->in.pos. */
static pn_status read_object(pn_json *j, pn_json_member_fn member, void *ctx)
{
    frame f;
    pn_status st = enter(j, &f, false);
    if (st != PN_OK)
        return st;
    st = members(j, &f, member, ctx);
    leave(j, &f);
    return st;
}

/* Reads the array opening at j->in.pos. */
static pn_status read_array(pn_json *j, pn_json_element_fn element, void *ctx)
{
    frame f;
    pn_status st = enter(j, &f, true);
    if (st != PN_OK)
        return st;
    st = elements(j, &f, element, ctx);
    leave(j, &f);
    return st;
}

/* ---- values ---- */

pn_status pn_json_read_u64(pn_json *j, const char *what, uint64_t *out)
{
    return pn_json_lex_u64(&j->in, what, out);
}

pn_status pn_json_read_mpz(pn_json *j, const char *what, mpz_t out)
{
    return pn_json_lex_mpz(&j->in, what, out);
}

pn_status pn_json_read_double(pn_json *j, const char *what, double *out)
{
    return pn_json_lex_double(&j->in, what, out);
}

pn_status pn_json_read_string(pn_json *j, const char *what, char *buf, size_t cap, size_t *len)
{
    if (pn_json_lex_peek(&j->in) != '"')
        return pn_json_lex_fail(&j->in, "%s must be a string", what);
    pn_json_sink s = {.buf = buf, .cap = cap};
    pn_status st = pn_json_lex_string(&j->in, &s);
    *len = s.n;
    return st;
}

/* Bytes of the well-formed UTF-8 character at s (1 to 4), or 0 when s does
 * not start one (a stray continuation byte, an overlong form, a surrogate,
 * past U+10FFFF, a truncated sequence). */
static size_t utf8_length(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (n == 0 || s[0] > 0xf4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return n;
}

void pn_json_write_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c;) {
        size_t n = utf8_length(c);
        if (n == 0) /* not UTF-8 (a file name can be any bytes): the document stays valid */
            fprintf(out, "\\ufffd");
        else if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            fwrite(c, 1, n, out);
        c += n ? n : 1;
    }
    fputc('"', out);
}

void pn_json_format_number(char *buf, size_t len, double v)
{
    if (!isfinite(v)) { /* JSON has no NaN or infinity: an unknown value */
        snprintf(buf, len, "null");
        return;
    }
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, len, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

void pn_json_write_number(FILE *out, double v)
{
    char buf[PN_JSON_NUMBER_LEN];
    pn_json_format_number(buf, sizeof buf, v);
    fputs(buf, out);
}

pn_status pn_json_read_object(pn_json *j, const char *what, pn_json_member_fn member, void *ctx)
{
    if (pn_json_lex_peek(&j->in) != '{')
        return pn_json_lex_fail(&j->in, "%s must be an object", what);
    return read_object(j, member, ctx);
}

pn_status pn_json_read_array(pn_json *j, const char *what, pn_json_element_fn element, void *ctx)
{
    if (pn_json_lex_peek(&j->in) != '[')
        return pn_json_lex_fail(&j->in, "%s must be an array", what);
    return read_array(j, element, ctx);
}

/* A member callback that checks and discards the value. */
static pn_status skip_member(pn_json *j, void *ctx, const char *key, size_t key_len)
{
    (void)ctx, (void)key, (void)key_len;
    return pn_json_skip(j);
}

/* An element callback that checks and discards the element. */
static pn_status skip_element(pn_json *j, void *ctx, size_t index)
{
    (void)ctx, (void)index;
    return pn_json_skip(j);
}

pn_status pn_json_skip(pn_json *j)
{
    size_t start, end;
    bool plain;
    pn_json_sink none = {0};
    switch (pn_json_lex_peek(&j->in)) {
    case '{': return read_object(j, skip_member, NULL);
    case '[': return read_array(j, skip_element, NULL);
    case '"': return pn_json_lex_string(&j->in, &none);
    case 't': return pn_json_lex_literal(&j->in, "true");
    case 'f': return pn_json_lex_literal(&j->in, "false");
    case 'n': return pn_json_lex_literal(&j->in, "null");
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return pn_json_lex_number(&j->in, &start, &end, &plain);
    default: return pn_json_lex_fail(&j->in, "expected a JSON value");
    }
}

pn_json_kind pn_json_peek(pn_json *j)
{
    int c = pn_json_lex_peek(&j->in);
    if (c == '-' || (c >= '0' && c <= '9'))
        return PN_JSON_NUMBER;
    switch (c) {
    case '{': return PN_JSON_OBJECT;
    case '[': return PN_JSON_ARRAY;
    case '"': return PN_JSON_STRING;
    case 't': case 'f': return PN_JSON_BOOL;
    case 'n': return PN_JSON_NULL;
    default: return PN_JSON_NONE;
    }
}

/* "an object", "a string", ... for type errors. */
static const char *kind_phrase(pn_json_kind kind)
{
    switch (kind) {
    case PN_JSON_NONE: return "a JSON value";
    case PN_JSON_OBJECT: return "an object";
    case PN_JSON_ARRAY: return "an array";
    case PN_JSON_STRING: return "a string";
    case PN_JSON_NUMBER: return "a number";
    case PN_JSON_BOOL: return "a boolean";
    case PN_JSON_NULL: return "null";
    }
    return "a JSON value";
}

pn_status pn_json_skip_kind(pn_json *j, pn_json_kind kind, const char *what)
{
    if (pn_json_peek(j) != kind)
        return pn_json_lex_fail(&j->in, "%s must be %s", what, kind_phrase(kind));
    return pn_json_skip(j);
}

pn_status pn_json_read_document(const char *text, size_t len, const pn_json_limits *limits,
                                pn_json_member_fn member, void *ctx, pn_error *err)
{
    pn_json j = {.in = {.text = text, .len = len, .err = err, .name = name_place,
                        .max_digits = limits ? limits->max_digits : 0}};
    if (len > PN_JSON_MAX_BYTES)
        return pn_fail(err, PN_ERR_USAGE, "a JSON document of %zu bytes is larger than %zu bytes",
                       len, PN_JSON_MAX_BYTES);
    if (pn_json_lex_peek(&j.in) != '{')
        return pn_json_lex_fail(&j.in, "expected a JSON object");
    pn_status st = read_object(&j, member, ctx);
    if (st == PN_OK && pn_json_lex_peek(&j.in) != -1)
        st = pn_json_lex_fail(&j.in, "unexpected data after the document");
    return st;
}
