#pragma once
// CPU time of the benchmark process (user + system, from getrusage), for the benches that
// report client CPU beside wall time.

#include <sys/resource.h>

namespace crucible::bench {

inline double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace crucible::bench
