/*
 * Reference values for X87ReferenceTest: runs x87 sequences on this machine's FPU and prints
 *   OP RC A_SE A_M B_SE B_M OUT0 OUT1 OUT2 OUT3 SW
 * (hex). A and B are the 80-bit inputs (for the arithmetic ops A_M and B_M hold doubles);
 * OUT0..3 the 32 output bytes as four little-endian quadwords; SW the status word. Every
 * sequence starts with FNINIT and FLDCW 0x27F | RC << 10 (exceptions masked, 53-bit precision
 * control, so arithmetic on doubles rounds exactly like the unit's double arithmetic).
 */
#include <stdio.h>
#include <string.h>

typedef unsigned long long u64;
static u64 seed = 0x2545f4914f6cdd1dull;
static u64 rnd(void) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return seed; }

struct f80 { u64 m; unsigned short se; unsigned short pad[3]; };

#define SEQ(NAME, CODE) static void NAME(unsigned short *cw, struct f80 *a, struct f80 *b, u64 *out, unsigned short *sw) { \
    __asm__ volatile("fninit\n\tfldcw (%0)\n\t" CODE "\n\tfnstsw (%4)\n\tfninit" \
        :: "r"(cw), "r"(a), "r"(b), "r"(out), "r"(sw) : "memory", "cc"); }

SEQ(st64, "fldt (%1)\n\tfstpl (%3)")
SEQ(st32, "fldt (%1)\n\tfstps (%3)")
SEQ(ist64, "fldt (%1)\n\tfistpll (%3)")
SEQ(ist32, "fldt (%1)\n\tfistpl (%3)")
SEQ(ist16, "fldt (%1)\n\tfistps (%3)")
SEQ(istt64, "fldt (%1)\n\tfisttpll (%3)")
SEQ(rnd_, "fldt (%1)\n\tfrndint\n\tfstpt (%3)")
SEQ(scale, "fldt (%2)\n\tfldt (%1)\n\tfscale\n\tfstpt (%3)\n\tfstp %%st(0)")
SEQ(xtract, "fldt (%1)\n\tfxtract\n\tfstpt (%3)\n\tfstpt 16(%3)")
SEQ(com, "fldt (%2)\n\tfldt (%1)\n\tfcompp")
SEQ(ucom, "fldt (%2)\n\tfldt (%1)\n\tfucompp")
SEQ(xam, "fldt (%1)\n\tfxam\n\tfstp %%st(0)")
SEQ(bst, "fldt (%1)\n\tfbstp (%3)")
SEQ(chs, "fldt (%1)\n\tfchs\n\tfstpt (%3)")
SEQ(add, "fldl (%1)\n\tfaddl (%2)\n\tfstpl (%3)")
SEQ(sub, "fldl (%1)\n\tfsubl (%2)\n\tfstpl (%3)")
SEQ(subr, "fldl (%1)\n\tfsubrl (%2)\n\tfstpl (%3)")
SEQ(mul, "fldl (%1)\n\tfmull (%2)\n\tfstpl (%3)")
SEQ(div_, "fldl (%1)\n\tfdivl (%2)\n\tfstpl (%3)")
SEQ(divr, "fldl (%1)\n\tfdivrl (%2)\n\tfstpl (%3)")
SEQ(sqrt_, "fldl (%1)\n\tfsqrt\n\tfstpl (%3)")
SEQ(ild, "fildll (%1)\n\tfstpl (%3)")

typedef void (*seq)(unsigned short *, struct f80 *, struct f80 *, u64 *, unsigned short *);

static struct f80 gen80(int kind) {
    struct f80 v = {0, 0, {0, 0, 0}};
    int sign = (rnd() & 1) ? 0x8000 : 0;
    int k = rnd() % 16;
    int e;
    if (kind == 1) e = (int) (rnd() % 70) - 4;                    /* integer-ish range */
    else if (k < 5) e = -1022 - 60 + (int) (rnd() % 70);          /* double denormal boundary */
    else if (k < 8) e = -126 - 30 + (int) (rnd() % 35);           /* float denormal boundary */
    else if (k < 10) e = 1020 + (int) (rnd() % 6);                /* double overflow boundary */
    else if (k < 11) e = 125 + (int) (rnd() % 5);                 /* float overflow boundary */
    else e = (int) (rnd() % 80) - 40;
    v.m = rnd() | 0x8000000000000000ull;
    if (rnd() % 3 == 0) v.m &= ~((1ull << (rnd() % 64)) - 1);     /* short significands: exact cases and ties */
    if (rnd() % 5 == 0) v.m = 0x8000000000000000ull | (1ull << (rnd() % 63)); /* ties */
    v.m |= 0x8000000000000000ull;
    v.se = sign | (e + 16383);
    int s = rnd() % 40;
    if (s == 0) { v.m = 0; v.se = sign; }
    else if (s == 1) { v.m = 0x8000000000000000ull; v.se = sign | 0x7fff; }
    else if (s == 2) { v.m = 0xc000000000000000ull | (rnd() >> 2); v.se = sign | 0x7fff; }
    else if (s == 3) { v.m = 0x8000000000000000ull | ((rnd() >> 2) | 1); v.se = sign | 0x7fff; }
    else if (s == 4) { v.m = rnd() >> 1; v.se = sign; }          /* 80-bit denormal */
    return v;
}

static const u64 dpool[] = {0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3ff8000000000000ull,
    0x7fefffffffffffffull, 0x0010000000000000ull, 0x0000000000000001ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0x7ff4000000000000ull, 0x3fd5555555555555ull, 0x400921fb54442d18ull, 0x4330000000000001ull};

static struct f80 genDouble(void) {
    struct f80 v = {0, 0, {0, 0, 0}};
    v.m = (rnd() % 3) ? dpool[rnd() % (sizeof dpool / 8)] : rnd();
    if (rnd() % 4 == 0) { double x = (double) ((long long) (rnd() % 2000001) - 1000000) / 128.0; memcpy(&v.m, &x, 8); }
    return v;
}

static void run(const char *name, seq f, int inputs, int count) {
    for (int rc = 0; rc < 4; rc++) {
        for (int k = 0; k < count; k++) {
            struct f80 a, b;
            if (inputs == 2) { a = genDouble(); b = genDouble(); }
            else if (inputs == 3) { a.m = rnd() >> (rnd() % 64); if (rnd() & 1) a.m = -a.m; a.se = 0; b = a; }
            else { a = gen80(inputs); b = gen80(0); if (f == scale) { b.se = (b.se & 0x8000) | (16383 + (int) (rnd() % 6)); } }
            unsigned short cw = 0x27f | rc << 10, sw = 0;
            u64 out[4] = {0, 0, 0, 0};
            f(&cw, &a, &b, out, &sw);
            printf("%s %d %x %llx %x %llx %llx %llx %llx %llx %x\n", name, rc, a.se, a.m, b.se, b.m, out[0], out[1], out[2], out[3], sw);
        }
    }
}

int main(void) {
    run("st64", st64, 0, 400); run("st32", st32, 0, 400);
    run("ist64", ist64, 1, 200); run("ist32", ist32, 1, 200); run("ist16", ist16, 1, 200); run("istt64", istt64, 1, 100);
    run("rnd", rnd_, 1, 200); run("scale", scale, 0, 100); run("xtract", xtract, 0, 100);
    run("com", com, 0, 100); run("ucom", ucom, 0, 100); run("xam", xam, 0, 100); run("bst", bst, 1, 100); run("chs", chs, 0, 50);
    run("add", add, 2, 150); run("sub", sub, 2, 150); run("subr", subr, 2, 100); run("mul", mul, 2, 150);
    run("div", div_, 2, 150); run("divr", divr, 2, 100); run("sqrt", sqrt_, 2, 150); run("ild", ild, 3, 150);
    return 0;
}
