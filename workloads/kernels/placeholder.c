/* Keeps the library non-empty until its first real file lands; delete then. */
typedef int placeholder_unused;
