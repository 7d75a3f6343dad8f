// Keeps the library non-empty until its first real file lands; delete then.
namespace { [[maybe_unused]] int placeholder_unused; }
