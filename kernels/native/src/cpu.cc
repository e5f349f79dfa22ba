// Runtime CPU feature detection and ISA selection.
#include <cstdlib>
#include <cstring>

#include "common.h"

namespace nb {

Isa detect_isa() {
#if NB_HAVE_AVX
  static const Isa isa = [] {
    __builtin_cpu_init();
    // __builtin_cpu_supports also checks that the OS saves the wider register state (XCR0).
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma"))
      return Isa::Avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::Avx2;
    return Isa::Portable;
  }();
  return isa;
#else
  return Isa::Portable;
#endif
}

static Isa initial_isa() {
  Isa best = detect_isa();
  const char* env = std::getenv("NABLA_NATIVE_ISA");
  if (env == nullptr) return best;
  Isa want = best;
  if (std::strcmp(env, "portable") == 0) want = Isa::Portable;
  else if (std::strcmp(env, "avx2") == 0) want = Isa::Avx2;
  else if (std::strcmp(env, "avx512") == 0) want = Isa::Avx512;
  return int(want) < int(best) ? want : best;
}

static Isa g_isa = initial_isa();

Isa active_isa() { return g_isa; }

void set_active_isa(Isa isa) { g_isa = int(isa) <= int(detect_isa()) ? isa : detect_isa(); }

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return "avx512";
    case Isa::Avx2:
      return "avx2";
    default:
      return "portable";
  }
}

}  // namespace nb
