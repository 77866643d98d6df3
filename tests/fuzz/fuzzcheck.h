#pragma once
// Shared by the libFuzzer targets: a failed property prints what differed and aborts, which
// libFuzzer reports as a crash and saves the input as an artifact.

#include <cstdio>
#include <cstdlib>
#include <string>

namespace crucible::fuzz {

[[noreturn]] inline void fail(const char *file, int line, const std::string &message)
{
    std::fprintf(stderr, "%s:%d: fuzz property failed: %s\n", file, line, message.c_str());
    std::abort();
}

} // namespace crucible::fuzz

#define FUZZ_CHECK(condition, message)                                                             \
    do {                                                                                           \
        if (!(condition))                                                                          \
            ::crucible::fuzz::fail(__FILE__, __LINE__,                                             \
                                   std::string(#condition) + ": " + std::string(message));         \
    } while (false)
