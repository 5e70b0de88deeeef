/*
 * Reference values for FpuReferenceTest: runs SSE instructions on this machine's CPU for
 * deterministic inputs and prints one line per execution:
 *   x MNEMONIC IMM MXCSR_IN DLO DHI SLO SHI RLO RHI MXCSR_OUT   (xmm, xmm forms)
 *   g MNEMONIC IMM MXCSR_IN IN_LO IN_HI OUT MXCSR_OUT RFLAGS    (GPR results, conversions, compares)
 * all in hex. The Java test replays each line through the emulator's unit and compares.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xmmintrin.h>

typedef unsigned long long u64;
static u64 seed = 0x9e3779b97f4a7c15ull;
static u64 rnd(void) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return seed; }

static const uint32_t fpool[] = {0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000, 0xc0200000,
    0x7f7fffff, 0xff7fffff, 0x00800000, 0x00000001, 0x807fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000,
    0x7fa00000, 0x3eaaaaab, 0x4f000000, 0xcf000000, 0x5f000000, 0x40490fdb, 0x3f000000, 0xbf000000, 0x4b000001};
static const u64 dpool[] = {0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3ff8000000000000ull,
    0x4004000000000000ull, 0xc004000000000000ull, 0x7fefffffffffffffull, 0x0010000000000000ull, 0x0000000000000001ull,
    0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff4000000000000ull, 0x3fd5555555555555ull,
    0x41e0000000000000ull, 0xc1e0000000000000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull, 0x400921fb54442d18ull,
    0x3fe0000000000000ull, 0xbfe0000000000000ull, 0x4330000000000001ull, 0x47efffffe0000000ull, 0x36a0000000000000ull};

static u64 genInt64(void) {
    u64 v = rnd();
    int k = rnd() % 4;
    if (k == 0) v &= 0x8080808080808080ull; else if (k == 1) v |= 0x7f7f7f7f7f7f7f7full; else if (k == 2) v &= 0x00ff00ff00ff00ffull;
    return v;
}
static u64 genPs64(void) {
    u64 r = 0;
    for (int i = 0; i < 2; i++) {
        uint32_t f = (rnd() % 3) ? fpool[rnd() % (sizeof fpool / 4)] : (uint32_t) rnd();
        if (rnd() % 5 == 0) { float x = (float) ((int) (rnd() % 2001) - 1000) / 8.0f; memcpy(&f, &x, 4); }
        r |= (u64) f << (32 * i);
    }
    return r;
}
static u64 genPd64(void) {
    u64 v = (rnd() % 3) ? dpool[rnd() % (sizeof dpool / 8)] : rnd();
    if (rnd() % 5 == 0) { double x = (double) ((long long) (rnd() % 200001) - 100000) / 64.0; memcpy(&v, &x, 8); }
    if (rnd() % 7 == 0) { double x = (double) (long long) rnd() / 3.0; memcpy(&v, &x, 8); }
    return v;
}
static u64 genStr64(void) { /* small alphabet with some zero bytes, for the string compares */
    u64 r = 0;
    for (int i = 0; i < 8; i++) { int k = rnd() % 10; u64 c = k == 0 ? 0 : 'a' + rnd() % 4; r |= c << (8 * i); }
    return r;
}

typedef struct { u64 lo, hi; } v128;
#define N 48

#define XOP(MN, IMMSTR, IMM, GEN, MX) do { for (int k = 0; k < N; k++) { \
    v128 d = {GEN(), GEN()}, s = {GEN(), GEN()}, res; __m128 x, y; memcpy(&x, &d, 16); memcpy(&y, &s, 16); \
    unsigned mx = (MX); _mm_setcsr(mx); __asm__ volatile(MN " " IMMSTR "%1, %0" : "+x"(x) : "x"(y)); unsigned mo = _mm_getcsr(); \
    _mm_setcsr(0x1f80); memcpy(&res, &x, 16); \
    printf("x %s %x %x %llx %llx %llx %llx %llx %llx %x\n", MN, IMM, mx, d.lo, d.hi, s.lo, s.hi, res.lo, res.hi, mo); } } while (0)
#define X(MN, GEN) XOP(MN, "", 0, GEN, 0x1f80)
#define XI(MN, IMM, GEN) XOP(MN, "$" #IMM ", ", IMM, GEN, 0x1f80)
#define XR(MN, GEN) do { for (unsigned rc = 0; rc < 4; rc++) XOP(MN, "", 0, GEN, 0x1f80 | rc << 13); XOP(MN, "", 0, GEN, 0x9fc0); } while (0)

/* GPR-destination conversions: cvt*2si with 32/64-bit destinations */
#define G2I(MN, REGT, GEN) do { for (unsigned rc = 0; rc < 4; rc++) for (int k = 0; k < N; k++) { \
    v128 s = {GEN(), 0}; __m128 y; memcpy(&y, &s, 16); REGT out; unsigned mx = 0x1f80 | rc << 13; _mm_setcsr(mx); \
    __asm__ volatile(MN " %1, %0" : "=r"(out) : "x"(y)); unsigned mo = _mm_getcsr(); _mm_setcsr(0x1f80); \
    printf("g %s %d %x %llx 0 %llx %x 0\n", MN, (int) sizeof(REGT) * 8, mx, s.lo, (u64) out, mo); } } while (0)
/* integer to xmm: cvtsi2s[sd]{l,q}: result low lane, destination initially from GEN */
#define I2X(MN, REGT, GEN) do { for (unsigned rc = 0; rc < 4; rc++) for (int k = 0; k < N; k++) { \
    v128 d = {GEN(), GEN()}, res; __m128 x; memcpy(&x, &d, 16); REGT in = (REGT) rnd(); if (k % 3 == 0) in = (REGT) (k * 1000 - 7); \
    unsigned mx = 0x1f80 | rc << 13; _mm_setcsr(mx); __asm__ volatile(MN " %1, %0" : "+x"(x) : "r"(in)); unsigned mo = _mm_getcsr(); \
    _mm_setcsr(0x1f80); memcpy(&res, &x, 16); \
    printf("x %s 0 %x %llx %llx %llx 0 %llx %llx %x\n", MN, mx, d.lo, d.hi, (u64) in, res.lo, res.hi, mo); } } while (0)
/* compares into RFLAGS */
#define GF(MN, GEN) do { for (int k = 0; k < N; k++) { \
    v128 d = {GEN(), 0}, s = {GEN(), 0}; __m128 x, y; memcpy(&x, &d, 16); memcpy(&y, &s, 16); u64 fl; \
    _mm_setcsr(0x1f80); __asm__ volatile(MN " %2, %1\n\tpushfq\n\tpopq %0" : "=r"(fl) : "x"(x), "x"(y) : "cc"); unsigned mo = _mm_getcsr(); \
    _mm_setcsr(0x1f80); printf("g %s 0 1f80 %llx %llx 0 %x %llx\n", MN, d.lo, s.lo, mo, fl & 0x8d5); } } while (0)
/* string compares: index form (ECX and flags), explicit lengths from a small range */
#define GS(MN, IMM, EXPL) do { for (int k = 0; k < N; k++) { \
    v128 d = {genStr64(), genStr64()}, s = {genStr64(), genStr64()}; __m128 x, y; memcpy(&x, &d, 16); memcpy(&y, &s, 16); \
    u64 fl; unsigned idx; long la = (long) (rnd() % 20) - 2, lb = (long) (rnd() % 20) - 2; \
    __asm__ volatile(MN " $" #IMM ", %3, %2\n\tpushfq\n\tpopq %0" : "=r"(fl), "=c"(idx) : "x"(x), "x"(y), "a"(la), "d"(lb) : "cc"); \
    printf("s %s %x %llx %llx %llx %llx %lx %lx %x %llx\n", MN, IMM, d.lo, d.hi, s.lo, s.hi, la, lb, idx, fl & 0x8d5); } } while (0)

/* MMX forms: m MNEMONIC IMM DLO SLO RLO */
#define MOP(MN, IMMSTR, IMM) do { for (int k = 0; k < N; k++) { \
    u64 d = genInt64(), s = genInt64(), res; __m64 x, y; memcpy(&x, &d, 8); memcpy(&y, &s, 8); \
    __asm__ volatile(MN " " IMMSTR "%1, %0" : "+y"(x) : "y"(y)); memcpy(&res, &x, 8); \
    printf("m %s %x %llx %llx %llx\n", MN, IMM, d, s, res); } __asm__ volatile("emms"); } while (0)
#define M(MN) MOP(MN, "", 0)
#define MI(MN, IMM) MOP(MN, "$" #IMM ", ", IMM)

int main(void) {
    M("paddb"); M("paddsw"); M("psubusb"); M("pcmpeqb"); M("pcmpgtw"); M("pminub"); M("pmaxsw"); M("pmullw");
    M("pmulhw"); M("pmulhuw"); M("pmuludq"); M("pmaddwd"); M("psadbw"); M("pavgb"); M("psllw"); M("psrld");
    M("psraw"); M("psrlq"); M("punpcklbw"); M("punpckhwd"); M("punpckldq"); M("packsswb"); M("packuswb");
    M("packssdw"); M("pshufb"); M("phaddw"); M("phsubd"); M("psignb"); M("pabsw"); M("pmulhrsw"); M("pmaddubsw");
    M("pxor"); M("pandn"); M("psubq"); M("paddusw");
    MI("palignr", 3); MI("palignr", 11); MI("pshufw", 0x1b);
    /* packed integer */
    X("paddb", genInt64); X("paddw", genInt64); X("paddd", genInt64); X("paddq", genInt64);
    X("psubb", genInt64); X("psubw", genInt64); X("psubd", genInt64); X("psubq", genInt64);
    X("paddsb", genInt64); X("paddsw", genInt64); X("paddusb", genInt64); X("paddusw", genInt64);
    X("psubsb", genInt64); X("psubsw", genInt64); X("psubusb", genInt64); X("psubusw", genInt64);
    X("pcmpeqb", genInt64); X("pcmpeqw", genInt64); X("pcmpeqd", genInt64); X("pcmpeqq", genInt64);
    X("pcmpgtb", genInt64); X("pcmpgtw", genInt64); X("pcmpgtd", genInt64); X("pcmpgtq", genInt64);
    X("pminub", genInt64); X("pmaxub", genInt64); X("pminsw", genInt64); X("pmaxsw", genInt64);
    X("pminsb", genInt64); X("pmaxsb", genInt64); X("pminuw", genInt64); X("pmaxuw", genInt64);
    X("pminsd", genInt64); X("pmaxsd", genInt64); X("pminud", genInt64); X("pmaxud", genInt64);
    X("pand", genInt64); X("pandn", genInt64); X("por", genInt64); X("pxor", genInt64);
    X("pmullw", genInt64); X("pmulhw", genInt64); X("pmulhuw", genInt64); X("pmuludq", genInt64);
    X("pmulld", genInt64); X("pmuldq", genInt64); X("pmaddwd", genInt64); X("psadbw", genInt64);
    X("pavgb", genInt64); X("pavgw", genInt64); X("pmulhrsw", genInt64); X("pmaddubsw", genInt64);
    X("psllw", genInt64); X("pslld", genInt64); X("psllq", genInt64); X("psrlw", genInt64);
    X("psrld", genInt64); X("psrlq", genInt64); X("psraw", genInt64); X("psrad", genInt64);
    X("punpcklbw", genInt64); X("punpcklwd", genInt64); X("punpckldq", genInt64); X("punpcklqdq", genInt64);
    X("punpckhbw", genInt64); X("punpckhwd", genInt64); X("punpckhdq", genInt64); X("punpckhqdq", genInt64);
    X("packsswb", genInt64); X("packssdw", genInt64); X("packuswb", genInt64); X("packusdw", genInt64);
    X("pshufb", genInt64); X("phaddw", genInt64); X("phaddd", genInt64); X("phaddsw", genInt64);
    X("phsubw", genInt64); X("phsubd", genInt64); X("phsubsw", genInt64);
    X("psignb", genInt64); X("psignw", genInt64); X("psignd", genInt64);
    X("pabsb", genInt64); X("pabsw", genInt64); X("pabsd", genInt64);
    X("pmovsxbw", genInt64); X("pmovsxbd", genInt64); X("pmovsxbq", genInt64); X("pmovsxwd", genInt64);
    X("pmovsxwq", genInt64); X("pmovsxdq", genInt64); X("pmovzxbw", genInt64); X("pmovzxbd", genInt64);
    X("pmovzxbq", genInt64); X("pmovzxwd", genInt64); X("pmovzxwq", genInt64); X("pmovzxdq", genInt64);
    X("phminposuw", genInt64);
    XI("pshufd", 0x1b, genInt64); XI("pshufd", 0xe4, genInt64); XI("pshufhw", 0x9c, genInt64); XI("pshuflw", 0x39, genInt64);
    XI("palignr", 5, genInt64); XI("palignr", 13, genInt64); XI("palignr", 20, genInt64);
    XI("pblendw", 0xa5, genInt64);
    XI("mpsadbw", 0, genInt64); XI("mpsadbw", 7, genInt64); XI("mpsadbw", 5, genInt64);
    XI("pclmulqdq", 0x00, genInt64); XI("pclmulqdq", 0x11, genInt64); XI("pclmulqdq", 0x10, genInt64); XI("pclmulqdq", 0x01, genInt64);
    XI("shufps", 0x4e, genPs64); XI("shufpd", 2, genPd64); XI("blendps", 6, genPs64); XI("blendpd", 1, genPd64);
    X("unpcklps", genPs64); X("unpckhps", genPs64); X("unpcklpd", genPd64); X("unpckhpd", genPd64);
    X("andps", genInt64); X("andnpd", genInt64); X("orps", genInt64); X("xorpd", genInt64);
    X("movss", genPs64); X("movsd", genPd64); X("movhlps", genPs64); X("movlhps", genPs64);
    X("movsldup", genPs64); X("movshdup", genPs64); X("movddup", genPd64); X("movq", genInt64);
    /* floating point, in every rounding mode and with FTZ|DAZ */
    XR("addps", genPs64); XR("subps", genPs64); XR("mulps", genPs64); XR("divps", genPs64); XR("sqrtps", genPs64);
    XR("addpd", genPd64); XR("subpd", genPd64); XR("mulpd", genPd64); XR("divpd", genPd64); XR("sqrtpd", genPd64);
    XR("addss", genPs64); XR("mulss", genPs64); XR("divss", genPs64); XR("sqrtss", genPs64);
    XR("addsd", genPd64); XR("subsd", genPd64); XR("divsd", genPd64); XR("sqrtsd", genPd64);
    X("minps", genPs64); X("maxps", genPs64); X("minpd", genPd64); X("maxpd", genPd64);
    X("minss", genPs64); X("maxsd", genPd64);
    X("haddps", genPs64); X("hsubpd", genPd64); X("addsubps", genPs64); X("addsubpd", genPd64);
    for (int p = 0; p < 8; p++) {
        switch (p) {
            case 0: XI("cmpps", 0, genPs64); XI("cmppd", 0, genPd64); XI("cmpss", 0, genPs64); XI("cmpsd", 0, genPd64); break;
            case 1: XI("cmpps", 1, genPs64); XI("cmppd", 1, genPd64); XI("cmpss", 1, genPs64); XI("cmpsd", 1, genPd64); break;
            case 2: XI("cmpps", 2, genPs64); XI("cmppd", 2, genPd64); XI("cmpss", 2, genPs64); XI("cmpsd", 2, genPd64); break;
            case 3: XI("cmpps", 3, genPs64); XI("cmppd", 3, genPd64); XI("cmpss", 3, genPs64); XI("cmpsd", 3, genPd64); break;
            case 4: XI("cmpps", 4, genPs64); XI("cmppd", 4, genPd64); XI("cmpss", 4, genPs64); XI("cmpsd", 4, genPd64); break;
            case 5: XI("cmpps", 5, genPs64); XI("cmppd", 5, genPd64); XI("cmpss", 5, genPs64); XI("cmpsd", 5, genPd64); break;
            case 6: XI("cmpps", 6, genPs64); XI("cmppd", 6, genPd64); XI("cmpss", 6, genPs64); XI("cmpsd", 6, genPd64); break;
            default: XI("cmpps", 7, genPs64); XI("cmppd", 7, genPd64); XI("cmpss", 7, genPs64); XI("cmpsd", 7, genPd64); break;
        }
    }
    XI("roundps", 0, genPs64); XI("roundps", 1, genPs64); XI("roundpd", 2, genPd64); XI("roundpd", 3, genPd64);
    XI("roundss", 4, genPs64); XI("roundsd", 9, genPd64); XI("roundsd", 0xc, genPd64);
    XI("dpps", 0xf1, genPs64); XI("dpps", 0x3a, genPs64); XI("dppd", 0x31, genPd64);
    XR("cvtdq2ps", genInt64); XR("cvtps2dq", genPs64); X("cvttps2dq", genPs64); X("cvtdq2pd", genInt64);
    XR("cvtpd2dq", genPd64); X("cvttpd2dq", genPd64); X("cvtps2pd", genPs64); XR("cvtpd2ps", genPd64);
    X("cvtss2sd", genPs64); XR("cvtsd2ss", genPd64);
    G2I("cvtsd2si", int, genPd64); G2I("cvtsd2si", long, genPd64); G2I("cvttsd2si", int, genPd64); G2I("cvttsd2si", long, genPd64);
    G2I("cvtss2si", int, genPs64); G2I("cvtss2si", long, genPs64); G2I("cvttss2si", int, genPs64); G2I("cvttss2si", long, genPs64);
    I2X("cvtsi2sdl", int, genPd64); I2X("cvtsi2sdq", long, genPd64); I2X("cvtsi2ssl", int, genPs64); I2X("cvtsi2ssq", long, genPs64);
    GF("comiss", genPs64); GF("ucomiss", genPs64); GF("comisd", genPd64); GF("ucomisd", genPd64); GF("ptest", genInt64);
    GS("pcmpistri", 0x00, 0); GS("pcmpistri", 0x04, 0); GS("pcmpistri", 0x08, 0); GS("pcmpistri", 0x0c, 0);
    GS("pcmpistri", 0x18, 0); GS("pcmpistri", 0x3a, 0); GS("pcmpistri", 0x4c, 0); GS("pcmpistri", 0x1a, 0);
    GS("pcmpistri", 0x01, 0); GS("pcmpistri", 0x44, 0); GS("pcmpistri", 0x12, 0); GS("pcmpistri", 0x70, 0);
    GS("pcmpestri", 0x00, 1); GS("pcmpestri", 0x04, 1); GS("pcmpestri", 0x08, 1); GS("pcmpestri", 0x0c, 1);
    GS("pcmpestri", 0x38, 1); GS("pcmpestri", 0x4c, 1); GS("pcmpestri", 0x19, 1); GS("pcmpestri", 0x2e, 1);
    return 0;
}
