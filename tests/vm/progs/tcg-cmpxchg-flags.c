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

#define F_ZF		0x40UL
#define ROUNDS		1000
#define B_OPERAND	0x5a000000UL	/* RFLAGS bits 25, 27, 28, 30: reserved */

static unsigned __int128 mem16 __attribute__((aligned(16)));
static uint64_t mem8 __attribute__((aligned(8)));

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
 * One form: @old is what memory holds (0 compares equal), @lock selects
 * LOCK, @wide CMPXCHG16B.  Returns the RFLAGS pushed right after it.
 */
static unsigned long flags_after_cmpxchg(unsigned long a, unsigned long b,
					 unsigned long old, int lock, int wide)
{
	unsigned long f, lo = 0, hi = 0;

#define CMPXCHG_ASM(insn, memop)					\
	asm volatile("pushq $0x202\n\tpopfq\n\t"			\
		     "cmp %[b], %[a]\n\t"				\
		     insn " %[m]\n\t"					\
		     "pushfq\n\tpopq %[f]"				\
		     : [f] "=r"(f), [m] "+m"(memop), "+a"(lo), "+d"(hi)	\
		     : [a] "r"(a), [b] "r"(b), "b"(1UL), "c"(0UL)	\
		     : "cc", "memory")

	if (wide) {
		mem16 = old;
		if (lock)
			CMPXCHG_ASM("lock cmpxchg16b", mem16);
		else
			CMPXCHG_ASM("cmpxchg16b", mem16);
	} else {
		mem8 = old;
		if (lock)
			CMPXCHG_ASM("lock cmpxchg8b", mem8);
		else
			CMPXCHG_ASM("cmpxchg8b", mem8);
	}
#undef CMPXCHG_ASM
	return f;
}

int main(void)
{
	static const char * const names[] = {
		"cmpxchg8b", "lock cmpxchg8b", "cmpxchg16b", "lock cmpxchg16b",
	};
	unsigned long a = 0, b = B_OPERAND;
	unsigned long ref = flags_after_cmp(a, b);
	int form, equal, i, bad_forms = 0;

	for (form = 0; form < 4; form++) {
		for (equal = 1; equal >= 0; equal--) {
			unsigned long want = (ref & ~F_ZF) | (equal ? F_ZF : 0);
			unsigned long got = 0;
			int bad = 0;

			for (i = 0; i < ROUNDS; i++) {
				got = flags_after_cmpxchg(a, b, equal ? 0 : 5,
							  form & 1, form >> 1);
				if (got != want)
					bad++;
			}
			printf("%s (%s): RFLAGS %#lx, want %#lx: %d of %d differ\n",
			       names[form], equal ? "exchanged" : "not exchanged",
			       got, want, bad, ROUNDS);
			if (bad)
				bad_forms++;
		}
	}
	return bad_forms ? 1 : 0;
}
