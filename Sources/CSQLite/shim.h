#ifndef RENKEI_CSQLITE_SHIM_H
#define RENKEI_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro over a cast of -1 to a function pointer, which Swift
// cannot import; this returns it as a value Swift can pass to sqlite3_bind_text/blob.
static inline sqlite3_destructor_type renkei_sqlite_transient(void) {
  return SQLITE_TRANSIENT;
}
#endif
