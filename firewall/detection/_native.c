/*
 * firewall.detection._native: Hyperscan for whole batches, without a Python call per match.
 *
 * The Python binding called back into the interpreter for every match, and that callback, the
 * mapping of matches to leaves and the checksum tests that reject most digit runs were the bulk
 * of detection's cost (docs/performance.md). Here one call scans a buffer (or a batch of texts
 * joined by NUL), and each match goes through a per-expression plan in C:
 *
 *   - trim the boundary character each bounded expression consumes (UTF-8 aware);
 *   - recover the start of expressions compiled without start-of-match tracking, by rescanning
 *     a few bytes before the end with a second, small database;
 *   - drop matches that certainly fail their validator (a failing Luhn, MOD 11-2, GB 32100 check
 *     character): a necessary condition only; Python's validator still decides what passes;
 *   - stop the scan at an expression marked as a stop (the prefilter's "needs the full path").
 *
 * Offsets into texts come back as character offsets, as Python slices them.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <hs/hs.h>
#include <stdint.h>
#include <string.h>

enum { CHECK_NONE = 0, CHECK_LUHN = 1, CHECK_IMEI = 2, CHECK_USCC = 3, CHECK_RESIDENT_ID = 4 };
#define CHECK_LAST CHECK_RESIDENT_ID

static PyObject *CompileError;

/* ------------------------------------------------------------------ Database */

typedef struct {
    PyObject_HEAD
    hs_database_t *db;
} DatabaseObject;

static PyTypeObject DatabaseType;

static void Database_dealloc(DatabaseObject *self) {
    hs_free_database(self->db);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *wrap_database(hs_database_t *db) {
    DatabaseObject *self = PyObject_New(DatabaseObject, &DatabaseType);
    if (self == NULL) {
        hs_free_database(db);
        return NULL;
    }
    self->db = db;
    return (PyObject *)self;
}

static PyObject *Database_serialize(DatabaseObject *self, PyObject *Py_UNUSED(ignored)) {
    char *bytes = NULL;
    size_t length = 0;
    if (hs_serialize_database(self->db, &bytes, &length) != HS_SUCCESS) {
        return PyErr_NoMemory();
    }
    PyObject *result = PyBytes_FromStringAndSize(bytes, (Py_ssize_t)length);
    free(bytes);
    return result;
}

static PyMethodDef Database_methods[] = {
    {"serialize", (PyCFunction)Database_serialize, METH_NOARGS, "The database as bytes (for a cache)."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject DatabaseType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "firewall.detection._native.Database",
    .tp_basicsize = sizeof(DatabaseObject),
    .tp_dealloc = (destructor)Database_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A compiled block-mode Hyperscan database.",
    .tp_methods = Database_methods,
};

/* compile(expressions: list[bytes], flags: list[int], ids: list[int]) -> Database */
static PyObject *native_compile(PyObject *module, PyObject *args) {
    PyObject *expressions, *flag_list, *id_list;
    if (!PyArg_ParseTuple(args, "O!O!O!", &PyList_Type, &expressions, &PyList_Type, &flag_list,
                          &PyList_Type, &id_list)) {
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(expressions);
    if (count == 0 || PyList_GET_SIZE(flag_list) != count || PyList_GET_SIZE(id_list) != count) {
        PyErr_SetString(PyExc_ValueError, "expressions, flags and ids: same non-zero length");
        return NULL;
    }
    const char **patterns = PyMem_Calloc((size_t)count, sizeof(char *));
    unsigned *flags = PyMem_Calloc((size_t)count, sizeof(unsigned));
    unsigned *ids = PyMem_Calloc((size_t)count, sizeof(unsigned));
    PyObject *result = NULL;
    if (patterns == NULL || flags == NULL || ids == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *expression = PyList_GET_ITEM(expressions, i);
        if (!PyBytes_Check(expression) || (Py_ssize_t)strlen(PyBytes_AS_STRING(expression)) !=
                                              PyBytes_GET_SIZE(expression)) {
            PyErr_Format(PyExc_ValueError, "expression %zd: bytes without NUL expected", i);
            goto done;
        }
        patterns[i] = PyBytes_AS_STRING(expression);
        flags[i] = (unsigned)PyLong_AsUnsignedLong(PyList_GET_ITEM(flag_list, i));
        ids[i] = (unsigned)PyLong_AsUnsignedLong(PyList_GET_ITEM(id_list, i));
        if (PyErr_Occurred()) {
            goto done;
        }
    }
    hs_database_t *db = NULL;
    hs_compile_error_t *error = NULL;
    hs_error_t status;
    Py_BEGIN_ALLOW_THREADS
    status = hs_compile_multi(patterns, flags, ids, (unsigned)count, HS_MODE_BLOCK, NULL, &db, &error);
    Py_END_ALLOW_THREADS
    if (status != HS_SUCCESS) {
        PyObject *details = Py_BuildValue("(si)", error ? error->message : "compile failed",
                                          error ? error->expression : -1);
        if (details != NULL) {
            PyErr_SetObject(CompileError, details);
            Py_DECREF(details);
        }
        hs_free_compile_error(error);
        goto done;
    }
    result = wrap_database(db);
done:
    PyMem_Free(patterns);
    PyMem_Free(flags);
    PyMem_Free(ids);
    return result;
}

/* deserialize(data: bytes) -> Database; ValueError for another Hyperscan build or torn bytes */
static PyObject *native_deserialize(PyObject *module, PyObject *arg) {
    char *data;
    Py_ssize_t length;
    if (PyBytes_AsStringAndSize(arg, &data, &length) < 0) {
        return NULL;
    }
    hs_database_t *db = NULL;
    if (hs_deserialize_database(data, (size_t)length, &db) != HS_SUCCESS) {
        PyErr_SetString(PyExc_ValueError, "not a database of this Hyperscan build");
        return NULL;
    }
    return wrap_database(db);
}

/* ------------------------------------------------------------------ checks (necessary conditions) */

/* Copy text without separators, upper-cased; -1 if it is not ASCII or longer than the output. */
static int compact(const unsigned char *text, size_t length, const char *separators, char *out,
                   size_t room) {
    size_t n = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = text[i];
        if (c >= 0x80) {
            return -1;
        }
        if (strchr(separators, c) != NULL) {
            continue;
        }
        if (n == room) {
            return -1;
        }
        out[n++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
    return (int)n;
}

static int all_digits(const char *s, int n) {
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

static int luhn_fails(const char *digits, int n) {
    int total = 0;
    for (int i = n - 1, doubled = 0; i >= 0; i--, doubled ^= 1) {
        int d = digits[i] - '0';
        if (doubled) {
            d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        }
        total += d;
    }
    return total % 10 != 0;
}

static const char USCC_ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_value(char c) {
    const char *at = strchr(USCC_ALPHABET, c);
    return c != '\0' && at != NULL ? (int)(at - USCC_ALPHABET) : -1;
}

/* 1 when the value certainly fails the validator behind ``check``; 0 when Python must decide. */
static int certainly_invalid(int check, const unsigned char *text, size_t length) {
    char s[40];
    int n;
    switch (check) {
    case CHECK_LUHN: /* cn_bank_card, luhn: spaces and dashes removed, digits must pass Luhn */
        n = compact(text, length, " -", s, sizeof s);
        return n > 0 && all_digits(s, n) && luhn_fails(s, n);
    case CHECK_IMEI: /* a 15-digit IMEI passes Luhn (a 16-digit IMEISV has no check digit) */
        n = compact(text, length, " -/", s, sizeof s);
        return n == 15 && all_digits(s, n) && luhn_fails(s, n);
    case CHECK_USCC: { /* GB 32100: weights 3^i mod 31 over the alphabet, check = -sum mod 31 */
        n = compact(text, length, " -", s, sizeof s);
        if (n != 18) {
            return n >= 0;
        }
        int total = 0, weight = 1;
        for (int i = 0; i < 17; i++, weight = weight * 3 % 31) {
            int value = uscc_value(s[i]);
            if (value < 0) {
                return 1;
            }
            total += value * weight;
        }
        return uscc_value(s[17]) >= 0 && USCC_ALPHABET[(31 - total % 31) % 31] != s[17];
    }
    case CHECK_RESIDENT_ID: { /* 18 characters: MOD 11-2 (ISO 7064) over 17 digits, 'X' for 10 */
        n = compact(text, length, " -", s, sizeof s);
        if (n != 18 || !all_digits(s, 17)) {
            return 0; /* 15-digit first-generation numbers have no check character */
        }
        int total = 0, weight = 1;
        for (int i = 16; i >= 0; i--) {
            weight = weight * 2 % 11;
            total += (s[i] - '0') * weight;
        }
        int check = (12 - total % 11) % 11;
        return s[17] != (check == 10 ? 'X' : '0' + check);
    }
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------ Scanner */

typedef struct {
    uint8_t trim_left, trim_right, check, stop;
    uint32_t reach; /* bytes rescanned to recover the start; 0: the database tracks starts */
} Plan;

typedef struct {
    unsigned long long start, end;
    unsigned id;
} Hit;

typedef struct {
    Hit *items;
    size_t count, room;
    const Plan *plans;
    unsigned plan_count;
    int overflow, stopped;
} Hits;

typedef struct {
    PyObject_HEAD
    DatabaseObject *database;
    DatabaseObject *recovery; /* may be NULL */
    hs_scratch_t *scratch;
    hs_scratch_t *recovery_scratch;
    Plan *plans;
    unsigned plan_count;
    Hits hits;
} ScannerObject;

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *context) {
    Hits *hits = context;
    if (id < hits->plan_count && hits->plans[id].stop) {
        hits->stopped = 1;
        return 1;
    }
    if (hits->count == hits->room) {
        size_t room = hits->room ? hits->room * 2 : 256;
        Hit *grown = PyMem_RawRealloc(hits->items, room * sizeof(Hit));
        if (grown == NULL) {
            hits->overflow = 1;
            return 1;
        }
        hits->items = grown;
        hits->room = room;
    }
    hits->items[hits->count++] = (Hit){from, to, id};
    return 0;
}

typedef struct {
    unsigned id;
    unsigned long long window, best;
} Recovery;

static int on_recovery(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                       void *context) {
    Recovery *wanted = context;
    if (id == wanted->id && to == wanted->window && from < wanted->best) {
        wanted->best = from;
    }
    return 0;
}

static void Scanner_dealloc(ScannerObject *self) {
    hs_free_scratch(self->scratch);
    hs_free_scratch(self->recovery_scratch);
    PyMem_Free(self->plans);
    PyMem_RawFree(self->hits.items);
    Py_XDECREF(self->database);
    Py_XDECREF(self->recovery);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Scanner(database, plans: list[tuple[trim_left, trim_right, check, stop, reach]], recovery=None)
 * Plans are indexed by expression id; ids beyond the list get no processing. */
static int Scanner_init(ScannerObject *self, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"database", "plans", "recovery", NULL};
    PyObject *database, *plans, *recovery = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!O!|O", keywords, &DatabaseType, &database,
                                     &PyList_Type, &plans, &recovery)) {
        return -1;
    }
    if (recovery != Py_None && !PyObject_TypeCheck(recovery, &DatabaseType)) {
        PyErr_SetString(PyExc_TypeError, "recovery: a Database or None");
        return -1;
    }
    Py_ssize_t count = PyList_GET_SIZE(plans);
    self->plans = PyMem_Calloc((size_t)(count ? count : 1), sizeof(Plan));
    if (self->plans == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        int left, right, check, stop;
        unsigned reach;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(plans, i), "ppiiI", &left, &right, &check, &stop, &reach)) {
            return -1;
        }
        if (check < 0 || check > CHECK_LAST) {
            PyErr_Format(PyExc_ValueError, "plan %zd: unknown check %d", i, check);
            return -1;
        }
        if (reach && recovery == Py_None) {
            PyErr_Format(PyExc_ValueError, "plan %zd recovers starts but there is no recovery database", i);
            return -1;
        }
        self->plans[i] = (Plan){(uint8_t)left, (uint8_t)right, (uint8_t)check, (uint8_t)(stop != 0), reach};
    }
    self->plan_count = (unsigned)count;
    self->hits.plans = self->plans;
    self->hits.plan_count = self->plan_count;
    Py_INCREF(database);
    self->database = (DatabaseObject *)database;
    if (hs_alloc_scratch(self->database->db, &self->scratch) != HS_SUCCESS) {
        PyErr_NoMemory();
        return -1;
    }
    if (recovery != Py_None) {
        Py_INCREF(recovery);
        self->recovery = (DatabaseObject *)recovery;
        if (hs_alloc_scratch(self->recovery->db, &self->recovery_scratch) != HS_SUCCESS) {
            PyErr_NoMemory();
            return -1;
        }
    }
    return 0;
}

/* Scan into self->hits; -1 with an exception set on failure. */
static int run_scan(ScannerObject *self, const char *buffer, size_t length) {
    Hits *hits = &self->hits;
    hits->count = 0;
    hits->overflow = hits->stopped = 0;
    hs_error_t status;
    Py_BEGIN_ALLOW_THREADS
    status = hs_scan(self->database->db, buffer, (unsigned)length, 0, self->scratch, on_match, hits);
    Py_END_ALLOW_THREADS
    if (hits->overflow) {
        PyErr_NoMemory();
        return -1;
    }
    if (status != HS_SUCCESS && status != HS_SCAN_TERMINATED) {
        PyErr_Format(PyExc_RuntimeError, "hs_scan failed with status %d", (int)status);
        return -1;
    }
    return 0;
}

static size_t char_length(unsigned char first) {
    return first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2;
}

/* Apply the plan to one hit within [floor, limit); 0 when the hit is dropped. */
static int process_hit(ScannerObject *self, const char *buffer, size_t floor, size_t limit, Hit *hit) {
    if (hit->id >= self->plan_count) {
        return 1;
    }
    const Plan *plan = &self->plans[hit->id];
    size_t start = (size_t)hit->start, end = (size_t)hit->end;
    if (plan->reach) {
        size_t low = end > floor + plan->reach ? end - plan->reach : floor;
        Recovery wanted = {hit->id, end - low, ~0ULL};
        hs_scan(self->recovery->db, buffer + low, (unsigned)(end - low), 0, self->recovery_scratch,
                on_recovery, &wanted);
        if (wanted.best == ~0ULL) {
            return 0;
        }
        start = low + (size_t)wanted.best;
    }
    if (plan->trim_left && start < end) {
        start += char_length((unsigned char)buffer[start]);
    }
    if (plan->trim_right && end > start) {
        end--;
        while (end > start && ((unsigned char)buffer[end] & 0xC0) == 0x80) {
            end--;
        }
    }
    if (start < floor || end > limit || start > end) {
        return 0; /* crosses a separator: not inside one text */
    }
    if (plan->check && certainly_invalid(plan->check, (const unsigned char *)buffer + start, end - start)) {
        return 0;
    }
    hit->start = start;
    hit->end = end;
    return 1;
}

/* Append a new reference (NULL when building it failed) and drop it; -1 on failure. */
static int append_new(PyObject *list, PyObject *item) {
    int failed = item == NULL || PyList_Append(list, item) < 0;
    Py_XDECREF(item);
    return failed ? -1 : 0;
}

/* Whether bytes are UTF-8 exactly as Python's strict decoder reads it (no overlong forms, no
 * surrogates, nothing past U+10FFFF); ASCII eight bytes at a time. */
static int valid_utf8(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint64_t eight;
        if (i + 8 <= n && (memcpy(&eight, s + i, 8), (eight & 0x8080808080808080ULL) == 0)) {
            i += 8;
            continue;
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t length = 3;
        unsigned char low = 0x80, high = 0xBF; /* the range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c == 0xE0) {
            low = 0xA0;
        } else if (c == 0xED) {
            high = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            low = c == 0xF0 ? 0x90 : 0x80;
            high = c == 0xF4 ? 0x8F : 0xBF;
        } else if (c < 0xE1 || c > 0xEF) {
            return 0;
        }
        if (i + length > n || s[i + 1] < low || s[i + 1] > high) {
            return 0;
        }
        for (size_t k = 2; k < length; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        i += length;
    }
    return 1;
}

/* scan(buffer: bytes) -> list[tuple[id, start, end]] | None  (byte offsets; None: a stop matched)
 * ValueError when the buffer is not UTF-8: the databases are compiled in UTF-8 mode. */
static PyObject *Scanner_scan(ScannerObject *self, PyObject *arg) {
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    const char *buffer = view.buf;
    PyObject *result = NULL;
    if (!valid_utf8(view.buf, (size_t)view.len)) {
        PyErr_SetString(PyExc_ValueError, "scan: the buffer is not UTF-8");
        goto done;
    }
    if (run_scan(self, buffer, (size_t)view.len) < 0) {
        goto done;
    }
    if (self->hits.stopped) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    result = PyList_New(0);
    for (size_t i = 0; result != NULL && i < self->hits.count; i++) {
        Hit *hit = &self->hits.items[i];
        if (!process_hit(self, buffer, 0, (size_t)view.len, hit)) {
            continue;
        }
        if (append_new(result, Py_BuildValue("(IKK)", hit->id, hit->start, hit->end)) < 0) {
            Py_CLEAR(result);
        }
    }
done:
    PyBuffer_Release(&view);
    return result;
}

/* scan_texts(texts: list[str]) -> list[tuple[id, text index, start, end]]  (character offsets)
 * The texts are scanned as one buffer, each between NUL separators; matches across a separator
 * are dropped. A stop expression is not honoured here (texts are always scanned whole). */
static PyObject *Scanner_scan_texts(ScannerObject *self, PyObject *arg) {
    if (!PyList_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "scan_texts: a list of str");
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(arg);
    if (count == 0) {
        return PyList_New(0);
    }
    PyObject *replaced = NULL; /* UTF-8 of the rare texts with a lone surrogate, kept alive */
    const char **utf8 = PyMem_Calloc((size_t)count, sizeof(char *));
    size_t *starts = PyMem_Calloc((size_t)count + 1, sizeof(size_t));
    uint8_t *ascii = PyMem_Calloc((size_t)count + 1, 1);
    char *buffer = NULL;
    PyObject *result = NULL;
    if (utf8 == NULL || starts == NULL || ascii == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    size_t total = 1;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *text = PyList_GET_ITEM(arg, i);
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "scan_texts: item %zd is not a str", i);
            goto done;
        }
        /* The str's own UTF-8 (no copy for ASCII text, cached in the str otherwise). */
        Py_ssize_t size;
        utf8[i] = PyUnicode_AsUTF8AndSize(text, &size);
        if (utf8[i] == NULL) { /* a lone surrogate: '?' for it, one byte per character */
            PyErr_Clear();
            PyObject *bytes = PyUnicode_AsEncodedString(text, "utf-8", "replace");
            if (bytes == NULL || (replaced == NULL && (replaced = PyList_New(0)) == NULL)) {
                Py_XDECREF(bytes);
                goto done;
            }
            if (append_new(replaced, bytes) < 0) {
                goto done;
            }
            utf8[i] = PyBytes_AS_STRING(bytes); /* alive: the list holds it */
            size = PyBytes_GET_SIZE(bytes);
        }
        ascii[i] = PyUnicode_IS_ASCII(text);
        starts[i] = total;
        total += (size_t)size + 1;
    }
    starts[count] = total;
    buffer = PyMem_Malloc(total);
    if (buffer == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    buffer[0] = '\0';
    for (Py_ssize_t i = 0; i < count; i++) {
        memcpy(buffer + starts[i], utf8[i], starts[i + 1] - 1 - starts[i]);
        buffer[starts[i + 1] - 1] = '\0';
    }
    if (run_scan(self, buffer, total) < 0) {
        goto done;
    }
    result = PyList_New(0);
    for (size_t h = 0; result != NULL && h < self->hits.count; h++) {
        Hit *hit = &self->hits.items[h];
        /* the text holding the hit's end: last start <= end - 1 */
        size_t end_byte = (size_t)hit->end ? (size_t)hit->end - 1 : 0;
        Py_ssize_t lo = 0, hi = count - 1;
        while (lo < hi) {
            Py_ssize_t mid = (lo + hi + 1) / 2;
            if (starts[mid] <= end_byte) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        size_t text_start = starts[lo], text_end = starts[lo + 1] - 1;
        /* recovery may look back to the separator before the text, as the boundary class does */
        if (!process_hit(self, buffer, text_start - 1, text_end + 1, hit)) {
            continue;
        }
        size_t s = (size_t)hit->start, e = (size_t)hit->end;
        if (s < text_start || e > text_end) {
            continue;
        }
        s -= text_start;
        e -= text_start;
        if (!ascii[lo]) { /* characters = bytes that do not continue a UTF-8 sequence */
            const unsigned char *text = (const unsigned char *)buffer + text_start;
            size_t chars = 0, i = 0;
            for (; i < s; i++) {
                chars += (text[i] & 0xC0) != 0x80;
            }
            size_t start_chars = chars;
            for (; i < e; i++) {
                chars += (text[i] & 0xC0) != 0x80;
            }
            s = start_chars;
            e = chars;
        }
        if (append_new(result, Py_BuildValue("(InKK)", hit->id, lo, (unsigned long long)s,
                                             (unsigned long long)e)) < 0) {
            Py_CLEAR(result);
        }
    }
done:
    Py_XDECREF(replaced);
    PyMem_Free(utf8);
    PyMem_Free(starts);
    PyMem_Free(ascii);
    PyMem_Free(buffer);
    return result;
}

static int on_count(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *context) {
    ++*(size_t *)context;
    return 0;
}

/* count(buffer: bytes) -> int: every match, no plan, no stop (the raw scan rate) */
static PyObject *Scanner_count(ScannerObject *self, PyObject *arg) {
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    size_t count = 0;
    hs_error_t status;
    Py_BEGIN_ALLOW_THREADS
    status = hs_scan(self->database->db, view.buf, (unsigned)view.len, 0, self->scratch, on_count, &count);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (status != HS_SUCCESS) {
        return PyErr_Format(PyExc_RuntimeError, "hs_scan failed with status %d", (int)status);
    }
    return PyLong_FromSize_t(count);
}

static PyMethodDef Scanner_methods[] = {
    {"scan", (PyCFunction)Scanner_scan, METH_O, "Matches in a buffer as (id, start, end) bytes; None at a stop."},
    {"scan_texts", (PyCFunction)Scanner_scan_texts, METH_O,
     "Matches in texts as (id, text index, start, end) characters."},
    {"count", (PyCFunction)Scanner_count, METH_O, "Raw number of matches in a buffer."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "firewall.detection._native.Scanner",
    .tp_basicsize = sizeof(ScannerObject),
    .tp_dealloc = (destructor)Scanner_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A database with its scratch space and per-expression plans. Not thread-safe.",
    .tp_methods = Scanner_methods,
    .tp_init = (initproc)Scanner_init,
    .tp_new = PyType_GenericNew,
};

/* ------------------------------------------------------------------ the JSON walk */

/* walk(document, max_depth: int, leaf_type) -> tuple[list[leaf], lossy: bool] | None
 *
 * Every string and number of a decoded JSON value as leaf_type(path, key, text, parent, 0), depth
 * first in document order: the JSONPath (.key when the key is an identifier, ['key'] otherwise,
 * [index] for array items), the key naming it (array items take their array's), its text (numbers
 * as repr), and the key of the object holding it. An array of two or more numbers and nothing else
 * is one leaf at the array's path, its numbers' reprs joined by ", ": a coordinate pair or a
 * feature vector is one value, not numbers apart. Booleans and nulls are not leaves. lossy: a
 * float beyond +-1e16 (orjson reads integers beyond 64 bits as floats). None: nested deeper than
 * max_depth. payload.py documents the contract; its tests hold this to it. */

typedef struct {
    PyObject *leaves;
    PyTypeObject *leaf_type;
    int max_depth;
    int lossy;
    int too_deep;
} Walk;

static PyObject *BACKSLASH, *BACKSLASH2, *QUOTE, *ESCAPED_QUOTE, *DOT, *OPEN_MEMBER, *CLOSE_MEMBER, *ZERO,
    *ITEM_SEPARATOR;

static int add_leaf(Walk *walk, PyObject *path, PyObject *key, PyObject *text, PyObject *parent) {
    /* what tuple.__new__(leaf_type, ...) does, without the named tuple's Python-level __new__ */
    PyObject *leaf = walk->leaf_type->tp_alloc(walk->leaf_type, 5);
    if (leaf == NULL) {
        return -1;
    }
    PyObject *items[5] = {path, key, text, parent, ZERO};
    for (int i = 0; i < 5; i++) {
        PyTuple_SET_ITEM(leaf, i, Py_NewRef(items[i]));
    }
    int failed = PyList_Append(walk->leaves, leaf);
    Py_DECREF(leaf);
    return failed;
}

/* The strs joined, sized once: a path per leaf is built this way, where PyUnicode_FromFormat
 * parsed its format string each time (a quarter of the walk's cost). */
static PyObject *concat(PyObject *const *parts, int count) {
    Py_ssize_t length = 0;
    Py_UCS4 widest = 127;
    for (int i = 0; i < count; i++) {
        length += PyUnicode_GET_LENGTH(parts[i]);
        Py_UCS4 part_widest = PyUnicode_MAX_CHAR_VALUE(parts[i]);
        widest = part_widest > widest ? part_widest : widest;
    }
    PyObject *joined = PyUnicode_New(length, widest);
    if (joined == NULL) {
        return NULL;
    }
    Py_ssize_t at = 0;
    for (int i = 0; i < count; i++) {
        Py_ssize_t part_length = PyUnicode_GET_LENGTH(parts[i]);
        if (PyUnicode_CopyCharacters(joined, at, parts[i], 0, part_length) < 0) {
            Py_DECREF(joined);
            return NULL;
        }
        at += part_length;
    }
    return joined;
}

/* path + ".key", or path + "['key']" with backslashes and quotes escaped */
static PyObject *member_path(PyObject *path, PyObject *key) {
    int identifier = PyUnicode_IsIdentifier(key);
    if (identifier < 0) {
        return NULL;
    }
    if (identifier) {
        PyObject *parts[3] = {path, DOT, key};
        return concat(parts, 3);
    }
    PyObject *once = PyUnicode_Replace(key, BACKSLASH, BACKSLASH2, -1);
    PyObject *escaped = once ? PyUnicode_Replace(once, QUOTE, ESCAPED_QUOTE, -1) : NULL;
    Py_XDECREF(once);
    if (escaped == NULL) {
        return NULL;
    }
    PyObject *parts[4] = {path, OPEN_MEMBER, escaped, CLOSE_MEMBER};
    PyObject *result = concat(parts, 4);
    Py_DECREF(escaped);
    return result;
}

/* path + "[index]" */
static PyObject *item_path(PyObject *path, Py_ssize_t index) {
    char step[32];
    int written = snprintf(step, sizeof step, "[%zd]", index);
    PyObject *suffix = PyUnicode_FromStringAndSize(step, written);
    if (suffix == NULL) {
        return NULL;
    }
    PyObject *parts[2] = {path, suffix};
    PyObject *result = concat(parts, 2);
    Py_DECREF(suffix);
    return result;
}

/* A number's text: its repr; a float beyond +-1e16 marks the walk lossy */
static PyObject *number_text(Walk *walk, PyObject *number) {
    if (Py_TYPE(number) == &PyFloat_Type) {
        double value = PyFloat_AS_DOUBLE(number);
        walk->lossy |= !(value > -1e16 && value < 1e16);
    }
    return PyObject_Repr(number);
}

/* Two or more items, every one an int or a float (not a bool) */
static int is_number_array(PyObject *list) {
    Py_ssize_t size = PyList_GET_SIZE(list);
    if (size < 2) {
        return 0;
    }
    for (Py_ssize_t index = 0; index < size; index++) {
        PyTypeObject *type = Py_TYPE(PyList_GET_ITEM(list, index));
        if (type != &PyLong_Type && type != &PyFloat_Type) {
            return 0;
        }
    }
    return 1;
}

/* The numbers' texts joined by ", " */
static PyObject *number_array_text(Walk *walk, PyObject *list) {
    Py_ssize_t size = PyList_GET_SIZE(list);
    PyObject *texts = PyList_New(size);
    if (texts == NULL) {
        return NULL;
    }
    for (Py_ssize_t index = 0; index < size; index++) {
        PyObject *text = number_text(walk, PyList_GET_ITEM(list, index));
        if (text == NULL) {
            Py_DECREF(texts);
            return NULL;
        }
        PyList_SET_ITEM(texts, index, text);
    }
    PyObject *joined = PyUnicode_Join(ITEM_SEPARATOR, texts);
    Py_DECREF(texts);
    return joined;
}

static int walk_value(Walk *walk, PyObject *path, PyObject *key, PyObject *parent, PyObject *value,
                      int depth) {
    PyTypeObject *type = Py_TYPE(value);
    if (type == &PyUnicode_Type) {
        return add_leaf(walk, path, key, value, parent);
    }
    if (type == &PyLong_Type || type == &PyFloat_Type) {
        PyObject *text = number_text(walk, value);
        if (text == NULL) {
            return -1;
        }
        int failed = add_leaf(walk, path, key, text, parent);
        Py_DECREF(text);
        return failed;
    }
    if (type == &PyDict_Type) {
        if (depth >= walk->max_depth) {
            walk->too_deep = 1;
            return -1;
        }
        Py_ssize_t position = 0;
        PyObject *child_key, *child;
        while (PyDict_Next(value, &position, &child_key, &child)) {
            if (!PyUnicode_Check(child_key)) {
                PyErr_SetString(PyExc_TypeError, "walk: JSON object keys are str");
                return -1;
            }
            Py_INCREF(child_key);
            Py_INCREF(child);
            PyObject *child_path = member_path(path, child_key);
            int failed = child_path == NULL ||
                         walk_value(walk, child_path, child_key, key, child, depth + 1) < 0;
            Py_XDECREF(child_path);
            Py_DECREF(child_key);
            Py_DECREF(child);
            if (failed) {
                return -1;
            }
        }
        return 0;
    }
    if (type == &PyList_Type) {
        if (depth >= walk->max_depth) {
            walk->too_deep = 1;
            return -1;
        }
        if (is_number_array(value)) {
            PyObject *text = number_array_text(walk, value);
            int failed = text == NULL || add_leaf(walk, path, key, text, parent) < 0;
            Py_XDECREF(text);
            return failed ? -1 : 0;
        }
        for (Py_ssize_t index = 0; index < PyList_GET_SIZE(value); index++) {
            PyObject *item = Py_NewRef(PyList_GET_ITEM(value, index));
            PyObject *child_path = item_path(path, index);
            int failed = child_path == NULL || walk_value(walk, child_path, key, parent, item, depth + 1) < 0;
            Py_XDECREF(child_path);
            Py_DECREF(item);
            if (failed) {
                return -1;
            }
        }
        return 0;
    }
    return 0; /* booleans, null and anything else carry no text */
}

static PyObject *native_walk(PyObject *module, PyObject *args) {
    PyObject *document, *leaf_type;
    int max_depth;
    if (!PyArg_ParseTuple(args, "OiO!", &document, &max_depth, &PyType_Type, &leaf_type)) {
        return NULL;
    }
    if (!PyType_IsSubtype((PyTypeObject *)leaf_type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "walk: the leaf type is a tuple subclass");
        return NULL;
    }
    Walk walk = {PyList_New(0), (PyTypeObject *)leaf_type, max_depth, 0, 0};
    PyObject *root = PyUnicode_FromString("$");
    if (walk.leaves == NULL || root == NULL) {
        Py_XDECREF(walk.leaves);
        Py_XDECREF(root);
        return NULL;
    }
    int failed = walk_value(&walk, root, Py_None, Py_None, document, 0);
    Py_DECREF(root);
    if (failed) {
        Py_DECREF(walk.leaves);
        if (walk.too_deep && !PyErr_Occurred()) {
            Py_RETURN_NONE;
        }
        return NULL;
    }
    PyObject *result = Py_BuildValue("(NO)", walk.leaves, walk.lossy ? Py_True : Py_False);
    return result;
}

/* certainly_invalid(check: int, value: bytes) -> bool: for the tests that hold C to Python */
static PyObject *native_certainly_invalid(PyObject *module, PyObject *args) {
    int check;
    Py_buffer value;
    if (!PyArg_ParseTuple(args, "iy*", &check, &value)) {
        return NULL;
    }
    int verdict = certainly_invalid(check, value.buf, (size_t)value.len);
    PyBuffer_Release(&value);
    return PyBool_FromLong(verdict);
}

/* enclosing_opener(buffer, position, low) -> int: the offset of the { or [ opening the innermost
 * object or array that holds position, looking back no further than low; -1 when it lies further
 * back. For JSON without backslashes, where every quote opens or closes a string (the prefilter's
 * buffers). In Python this walk made a match object per quote and brace. */
static PyObject *native_enclosing_opener(PyObject *module, PyObject *args) {
    Py_buffer buffer;
    Py_ssize_t position, low;
    if (!PyArg_ParseTuple(args, "y*nn", &buffer, &position, &low)) {
        return NULL;
    }
    const char *bytes = buffer.buf;
    position = position < buffer.len ? position : buffer.len;
    low = low > 0 ? low : 0;
    int in_string = 0;
    Py_ssize_t depth = 0, found = -1;
    for (Py_ssize_t i = position - 1; i >= low; i--) {
        char c = bytes[i];
        if (c == '"') {
            in_string = !in_string;
        } else if (in_string) {
            continue;
        } else if (c == '}' || c == ']') {
            depth++;
        } else if (c == '{' || c == '[') {
            if (depth == 0) {
                found = i;
                break;
            }
            depth--;
        }
    }
    PyBuffer_Release(&buffer);
    return PyLong_FromSsize_t(found);
}

static PyObject *native_version(PyObject *module, PyObject *Py_UNUSED(ignored)) {
    return PyUnicode_FromString(hs_version());
}

static PyMethodDef module_methods[] = {
    {"compile", native_compile, METH_VARARGS, "Compile expressions into a block-mode database."},
    {"deserialize", native_deserialize, METH_O, "A database from Database.serialize() bytes."},
    {"certainly_invalid", native_certainly_invalid, METH_VARARGS, "The C check on one value."},
    {"walk", native_walk, METH_VARARGS, "The leaves of a decoded JSON value (see payload.py)."},
    {"enclosing_opener", native_enclosing_opener, METH_VARARGS,
     "Where the object or array holding a position opens (see prefilter.py)."},
    {"version", native_version, METH_NOARGS, "The Hyperscan library's version string."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "firewall.detection._native",
    .m_doc = "Hyperscan over whole batches.",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__native(void) {
    if (hs_valid_platform() != HS_SUCCESS) {
        PyErr_SetString(PyExc_ImportError, "Hyperscan needs a CPU with SSSE3");
        return NULL;
    }
    if (PyType_Ready(&DatabaseType) < 0 || PyType_Ready(&ScannerType) < 0) {
        return NULL;
    }
    BACKSLASH = PyUnicode_InternFromString("\\");
    BACKSLASH2 = PyUnicode_InternFromString("\\\\");
    QUOTE = PyUnicode_InternFromString("'");
    ESCAPED_QUOTE = PyUnicode_InternFromString("\\'");
    DOT = PyUnicode_InternFromString(".");
    OPEN_MEMBER = PyUnicode_InternFromString("['");
    CLOSE_MEMBER = PyUnicode_InternFromString("']");
    ZERO = PyLong_FromLong(0);
    ITEM_SEPARATOR = PyUnicode_InternFromString(", ");
    if (BACKSLASH == NULL || BACKSLASH2 == NULL || QUOTE == NULL || ESCAPED_QUOTE == NULL || DOT == NULL ||
        OPEN_MEMBER == NULL || CLOSE_MEMBER == NULL || ZERO == NULL || ITEM_SEPARATOR == NULL) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&native_module);
    if (module == NULL) {
        return NULL;
    }
    CompileError = PyErr_NewException("firewall.detection._native.CompileError", PyExc_ValueError, NULL);
    if (PyModule_AddObjectRef(module, "CompileError", CompileError) < 0 ||
        PyModule_AddObjectRef(module, "Database", (PyObject *)&DatabaseType) < 0 ||
        PyModule_AddObjectRef(module, "Scanner", (PyObject *)&ScannerType) < 0 ||
        PyModule_AddIntConstant(module, "FLAG_CASELESS", HS_FLAG_CASELESS) < 0 ||
        PyModule_AddIntConstant(module, "FLAG_SINGLEMATCH", HS_FLAG_SINGLEMATCH) < 0 ||
        PyModule_AddIntConstant(module, "FLAG_UTF8", HS_FLAG_UTF8) < 0 ||
        PyModule_AddIntConstant(module, "FLAG_SOM_LEFTMOST", HS_FLAG_SOM_LEFTMOST) < 0 ||
        PyModule_AddIntConstant(module, "CHECK_LUHN", CHECK_LUHN) < 0 ||
        PyModule_AddIntConstant(module, "CHECK_IMEI", CHECK_IMEI) < 0 ||
        PyModule_AddIntConstant(module, "CHECK_USCC", CHECK_USCC) < 0 ||
        PyModule_AddIntConstant(module, "CHECK_RESIDENT_ID", CHECK_RESIDENT_ID) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
