// SPDX-License-Identifier: GPL-2.0
/*
 * tcg-cmpxchg-flags - RFLAGS after CMPXCHG8B and CMPXCHG16B.
 *
 * Both instructions set ZF and leave the other arithmetic flags as the
 * instruction before them left them.  QEMU 7.2's TCG computed those flags
 * in its helper from a CC_OP it had not written back: after
 *
 *	popfq			(the TB ends; CC_OP_EFLAGS)
 *	cmp	B, A		(CC_SRC = B, CC_OP_SUBQ not yet stored)
 *	cmpxchg16b (mem)	(the helper reads CC_OP_EFLAGS: flags = B)
 *	pushfq
 *
 * the pushed RFLAGS held B (patches/qemu/0003).  In a kernel B is a
 * pointer, and an interrupt or #VMEXIT that saves such RFLAGS kills the
 * guest.  Here B only has bits that RFLAGS reserves.
 *
 * Each form (8B/16B, with and without LOCK, exchange done or not) runs
 * ROUNDS times; the pushed RFLAGS must equal cmp's with ZF set by the
 * outcome.  Prints one line per form; exits 1 on any difference.
 */
#include <stdint.h>
#include <stdio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __aligned(x)	__attribute__((aligned(x)))

#define F_ZF		0x40UL
#define ROUNDS		1000
#define B_OPERAND	0x5a000000UL	/* RFLAGS bits 25, 27, 28, 30: reserved */

static unsigned __int128 mem16 __aligned(16);
static uint64_t mem8 __aligned(8);

/* RFLAGS after "cmp b, a" (a - b), from a known start. */
static unsigned long flags_after_cmp(unsigned long a, unsigned long b)
{
	unsigned long f;

	asm volatile("pushq $0x202\n\tpopfq\n\t"
		     "cmp %2, %1\n\t"
		     "pushfq\n\tpopq %0"
		     : "=r"(f) : "r"(a), "r"(b) : "cc");
	return f;
}

/*
 * One form each: compare rdx:rax = 0 with memory (set by the caller) and
 * store rcx:rbx = 1 if equal.  Returns the RFLAGS pushed right after it.
 */
#define DEFINE_CMPXCHG(name, insn, memop)				\
static unsigned long name(unsigned long a, unsigned long b)		\
{									\
	unsigned long f, lo = 0, hi = 0;				\
									\
	asm volatile("pushq $0x202\n\tpopfq\n\t"			\
		     "cmp %[b], %[a]\n\t"				\
		     insn " %[m]\n\t"					\
		     "pushfq\n\tpopq %[f]"				\
		     : [f] "=r"(f), [m] "+m"(memop), "+a"(lo), "+d"(hi)	\
		     : [a] "r"(a), [b] "r"(b), "b"(1UL), "c"(0UL)	\
		     : "cc", "memory");					\
	return f;							\
}

DEFINE_CMPXCHG(cmpxchg8b, "cmpxchg8b", mem8)
DEFINE_CMPXCHG(lock_cmpxchg8b, "lock cmpxchg8b", mem8)
DEFINE_CMPXCHG(cmpxchg16b, "cmpxchg16b", mem16)
DEFINE_CMPXCHG(lock_cmpxchg16b, "lock cmpxchg16b", mem16)

static const struct form {
	const char *name;
	unsigned long (*run)(unsigned long a, unsigned long b);
	int wide;
} forms[] = {
	{ "cmpxchg8b", cmpxchg8b, 0 },
	{ "lock cmpxchg8b", lock_cmpxchg8b, 0 },
	{ "cmpxchg16b", cmpxchg16b, 1 },
	{ "lock cmpxchg16b", lock_cmpxchg16b, 1 },
};

/* Memory holds @old (0 compares equal) before each execution. */
static unsigned long run_form(const struct form *fm, unsigned long a,
			      unsigned long b, unsigned long old)
{
	if (fm->wide)
		mem16 = old;
	else
		mem8 = old;
	return fm->run(a, b);
}

int main(void)
{
	unsigned long a = 0, b = B_OPERAND;
	unsigned long ref = flags_after_cmp(a, b);
	unsigned int form, i;
	int equal, bad_forms = 0;

	for (form = 0; form < ARRAY_SIZE(forms); form++) {
		for (equal = 1; equal >= 0; equal--) {
			unsigned long want = (ref & ~F_ZF) | (equal ? F_ZF : 0);
			unsigned long got = 0;
			int bad = 0;

			for (i = 0; i < ROUNDS; i++) {
				got = run_form(&forms[form], a, b, equal ? 0 : 5);
				if (got != want)
					bad++;
			}
			printf("%s (%s): RFLAGS %#lx, want %#lx: %d of %d differ\n",
			       forms[form].name,
			       equal ? "exchanged" : "not exchanged",
			       got, want, bad, ROUNDS);
			if (bad)
				bad_forms++;
		}
	}
	return bad_forms ? 1 : 0;
}
