/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev - the VF BAR0 registers this driver looks at.
 *
 * Offsets and fields as in the iavf driver's iavf_register.h and the
 * Intel Ethernet Controller 700 Series datasheet.  Driver-internal: the
 * layout of BAR0 is not uAPI, userspace takes the trapped pages from the
 * region's sparse mmap capability.
 *
 * Pure C (i40e_vf_mdev_compat.h only), so that the helpers below are unit
 * tested in userspace with the stream code.
 */
#ifndef I40E_VF_MDEV_REGS_H
#define I40E_VF_MDEV_REGS_H

#include "i40e_vf_mdev_compat.h"

/* Size of a 700-series VF's BAR0 */
#define I40E_VF_MDEV_BAR0_SIZE		0x10000

#define I40E_VF_QTX_TAIL1(q)		(0x00000 + 4 * (q))
#define I40E_VF_QRX_TAIL1(q)		(0x02000 + 4 * (q))
#define I40E_VFINT_ITRN1(i, v)		(0x02800 + 64 * (i) + 4 * (v))
#define I40E_VFINT_DYN_CTLN1(v)		(0x03800 + 4 * (v))
#define I40E_VFINT_ICR0_ENA1		0x05000
#define I40E_VFINT_DYN_CTL01		0x05C00
#define I40E_VF_ARQBAH1			0x06000
#define I40E_VF_ATQH1			0x06400
#define I40E_VF_ATQLEN1			0x06800
#define I40E_VF_ARQBAL1			0x06C00
#define I40E_VF_ARQT1			0x07000
#define I40E_VF_ARQH1			0x07400
#define I40E_VF_ATQBAH1			0x07800
#define I40E_VF_ATQBAL1			0x07C00
#define I40E_VF_ARQLEN1			0x08000
#define I40E_VF_ATQT1			0x08400
#define I40E_VFGEN_RSTAT		0x08800
#define I40E_VFGEN_RSTAT_VFR_STATE	GENMASK(1, 0)
/* VFR_STATE values, as virtchnl's enum virtchnl_vfr_states */
#define I40E_VFR_INPROGRESS		0
#define I40E_VFR_COMPLETED		1
#define I40E_VFR_VFACTIVE		2
#define I40E_VFQF_HENA(i)		(0x0C400 + 4 * (i))
#define I40E_VFQF_HKEY(i)		(0x0CC00 + 4 * (i))
#define I40E_VFQF_HLUT(i)		(0x0D000 + 4 * (i))

/*
 * VFINT_DYN_CTL01 and VFINT_DYN_CTLN1 have the same fields.  A write with
 * ITR_INDX 0..2 also sets that ITR's interval to INTERVAL; ITR_INDX 3
 * ("no ITR") leaves the ITRs alone.
 */
#define I40E_VFINT_DYN_CTL_INTENA	BIT(0)
#define I40E_VFINT_DYN_CTL_CLEARPBA	BIT(1)
#define I40E_VFINT_DYN_CTL_SWINT_TRIG	BIT(2)
#define I40E_VFINT_DYN_CTL_ITR_INDX	GENMASK(4, 3)
#define I40E_VFINT_DYN_CTL_INTERVAL	GENMASK(16, 5)
#define I40E_VFINT_DYN_CTL_SW_ITR_ENA	BIT(24)
#define I40E_VFINT_DYN_CTL_SW_ITR_INDX	GENMASK(26, 25)
#define I40E_VFINT_DYN_CTL_INTENA_MSK	BIT(31)

/* Ranges of BAR0 by what they hold; [start, end) */
#define I40E_VF_MDEV_TX_TAIL_START	0x00000
#define I40E_VF_MDEV_TX_TAIL_END	0x01000
#define I40E_VF_MDEV_RX_TAIL_START	0x02000
#define I40E_VF_MDEV_RX_TAIL_END	0x03000
/* The mailbox and VFGEN_RSTAT, always trapped */
#define I40E_VF_MDEV_MBX_START		0x06000
#define I40E_VF_MDEV_MBX_END		0x09000

/**
 * i40e_vf_mdev_dyn_ctl_restore() - value that restores a DYN_CTL register
 * @saved: VFINT_DYN_CTL01 or VFINT_DYN_CTLN1 as read on the source
 *
 * Only INTENA is state; CLEARPBA, SWINT_TRIG and SW_ITR_INDX are commands
 * and INTENA_MSK would make the write ignore INTENA.  ITR_INDX is 3 ("no
 * ITR update"): the saved ITR_INDX and INTERVAL would overwrite that ITR's
 * interval, which the ITRN registers restored on their own already hold.
 *
 * Return: the value to write on the destination.
 */
static inline u32 i40e_vf_mdev_dyn_ctl_restore(u32 saved)
{
	return (saved & I40E_VFINT_DYN_CTL_INTENA) |
	       I40E_VFINT_DYN_CTL_ITR_INDX;
}

/**
 * i40e_vf_mdev_rstat_answered() - whether a VFGEN_RSTAT read got an answer
 * @rstat: VFGEN_RSTAT as read
 *
 * Only VFR_STATE is defined, every other bit reads 0; a read that nobody
 * answered (VF in D3hot, memory decoding off, VF gone) returns all-ones.
 *
 * Return: true if @rstat is a value the register can hold.
 */
static inline bool i40e_vf_mdev_rstat_answered(u32 rstat)
{
	return !(rstat & ~I40E_VFGEN_RSTAT_VFR_STATE);
}

#endif /* I40E_VF_MDEV_REGS_H */
