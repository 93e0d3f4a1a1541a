package sqlfeatures

// #include <malloc.h>
// static void spysql_malloc_trim(void) { malloc_trim(0); }
import "C"

// releaseMemory returns memory that C allocations (DuckDB's) have freed to
// the operating system (glibc malloc_trim), so a build of many dates peaks
// at its largest date instead of accumulating each date's fragmentation.
func releaseMemory() { C.spysql_malloc_trim() }
