/*
 * Intel XL710 (i40e) behavioural model: register offsets and layouts.
 *
 * Only what the model uses.  Offsets and field positions are facts about
 * the hardware's programming interface (as used by Linux's i40e/iavf).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_NET_XL710_REGS_H
#define HW_NET_XL710_REGS_H

/* ---- PF BAR0 ---- */
#define XL_PF_ATQBAL            0x00080000
#define XL_PF_ATQBAH            0x00080100
#define XL_PF_ATQLEN            0x00080200
#define XL_PF_ATQH              0x00080300
#define XL_PF_ATQT              0x00080400
#define XL_PF_ARQBAL            0x00080080
#define XL_PF_ARQBAH            0x00080180
#define XL_PF_ARQLEN            0x00080280
#define XL_PF_ARQH              0x00080380
#define XL_PF_ARQT              0x00080480
#define XL_AQLEN_LEN_MASK       0x3ff
#define XL_AQLEN_ENABLE         (1u << 31)

#define XL_GL_FWSTS             0x00083048
#define XL_GLGEN_RSTAT          0x000B8188
#define XL_GLGEN_RSTCTL         0x000B8180
#define XL_GLGEN_RTRIG          0x000B8190
#define XL_GLGEN_RTRIG_CORER    (1u << 0)
#define XL_GLGEN_RTRIG_GLOBR    (1u << 1)
#define XL_GLGEN_RTRIG_EMPFWR   (1u << 2)
#define XL_GLGEN_VFLRSTAT(i)    (0x00092600 + (i) * 4)
#define XL_PFGEN_CTRL           0x00092400
#define XL_PFGEN_CTRL_PFSWR     (1u << 0)
#define XL_PFGEN_PORTNUM        0x001C0480
#define XL_GLNVM_ULD            0x000B6008
#define XL_GLNVM_GENS           0x000B6100
#define XL_GLNVM_FLA            0x000B6108
#define XL_GLNVM_FLA_LOCKED     (1u << 6)
#define XL_GLNVM_SRCTL          0x000B6110
#define XL_GLNVM_SRCTL_ADDR_SHIFT 14
#define XL_GLNVM_SRCTL_ADDR_MASK  0x7fff
#define XL_GLNVM_SRCTL_START    (1u << 30)
#define XL_GLNVM_SRCTL_DONE     (1u << 31)
#define XL_GLNVM_SRDATA         0x000B6114
#define XL_GLPCI_CAPSUP         0x000BE4A8
#define XL_GLPCI_CAPSUP_ARI_EN  (1u << 4)
#define XL_GLPCI_CNF2           0x000BE494
#define XL_PF_FUNC_RID          0x0009C000
#define XL_PF_PCI_CIAA          0x0009C080
#define XL_PF_PCI_CIAD          0x0009C100
#define XL_PFLAN_QALLOC         0x001C0400
#define XL_PF_VT_PFALLOC        0x001C0500
#define XL_GLLAN_RCTL_0         0x0012A500

#define XL_GLHMC_LANTXOBJSZ     0x000C2004
#define XL_GLHMC_LANQMAX        0x000C2008
#define XL_GLHMC_LANRXOBJSZ     0x000C200C
#define XL_GLHMC_FCOEFMAX       0x000C20D0
#define XL_GLHMC_LANTXBASE(i)   (0x000C6200 + (i) * 4)
#define XL_GLHMC_LANRXBASE(i)   (0x000C6400 + (i) * 4)
#define XL_GLHMC_BASE_MASK      0x00ffffff
#define XL_PFHMC_SDCMD          0x000C0000
#define XL_PFHMC_SDCMD_IDX_MASK 0xfff
#define XL_PFHMC_SDCMD_WR       (1u << 31)
#define XL_PFHMC_SDDATALOW      0x000C0100
#define XL_PFHMC_SDDATALOW_VALID (1u << 0)
#define XL_PFHMC_SDDATAHIGH     0x000C0200
#define XL_HMC_SD_SIZE          (2 * 1024 * 1024)

#define XL_PFINT_ICR0           0x00038780
#define XL_PFINT_ICR0_ENA       0x00038800
#define XL_ICR0_INTEVENT        (1u << 0)
#define XL_ICR0_MAL_DETECT      (1u << 19)
#define XL_ICR0_LINK_STAT_CHANGE (1u << 25)
#define XL_ICR0_HMC_ERR         (1u << 26)
#define XL_ICR0_VFLR            (1u << 29)
#define XL_ICR0_ADMINQ          (1u << 30)
#define XL_ICR0_SWINT           (1u << 31)
#define XL_PFINT_DYN_CTL0       0x00038480
#define XL_PFINT_DYN_CTLN(i)    (0x00034800 + (i) * 4)
#define XL_DYN_CTL_INTENA       (1u << 0)
#define XL_DYN_CTL_CLEARPBA     (1u << 1)
#define XL_DYN_CTL_SWINT_TRIG   (1u << 2)
#define XL_DYN_CTL_INTENA_MSK   (1u << 31)

#define XL_QINT_RQCTL(q)        (0x0003A000 + (q) * 4)
#define XL_QINT_TQCTL(q)        (0x0003C000 + (q) * 4)
#define XL_QINT_MSIX_INDX_MASK  0xff
#define XL_QINT_CAUSE_ENA       (1u << 30)

#define XL_QTX_ENA(q)           (0x00100000 + (q) * 4)
#define XL_QTX_CTL(q)           (0x00104000 + (q) * 4)
#define XL_QTX_TAIL(q)          (0x00108000 + (q) * 4)
#define XL_QTX_HEAD(q)          (0x000E4000 + (q) * 4)
#define XL_QRX_ENA(q)           (0x00120000 + (q) * 4)
#define XL_QRX_TAIL(q)          (0x00128000 + (q) * 4)
#define XL_QENA_REQ             (1u << 0)
#define XL_QENA_STAT            (1u << 2)
#define XL_QTX_CTL_PFVF_Q_MASK  0x3
#define XL_QTX_CTL_VF_QUEUE     0x0
#define XL_QTX_CTL_VFVM_SHIFT   7
#define XL_QTX_CTL_VFVM_MASK    0x1ff
#define XL_QTX_HEAD_MASK        0x1fff
#define XL_QTAIL_MASK           0x1fff

/*
 * LAN queue context read-back (FreeBSD's i40e_register.h; dropped from
 * Linux's).  A CTL write runs one 16-byte sub-line operation on a queue's
 * context; STAT reports it, DATA(0..3) hold the sub-line's dwords.
 */
#define XL_PFCM_LANCTXDATA(i)   (0x0010C100 + (i) * 128)    /* i = 0..3 */
#define XL_PFCM_LANCTXCTL       0x0010C300
#define XL_PFCM_LANCTXCTL_QUEUE_NUM_MASK    0xfff
#define XL_PFCM_LANCTXCTL_SUB_LINE_SHIFT    12
#define XL_PFCM_LANCTXCTL_SUB_LINE_MASK     0x7
#define XL_PFCM_LANCTXCTL_QUEUE_TYPE_SHIFT  15
#define XL_PFCM_LANCTXCTL_QUEUE_TYPE_MASK   0x3
#define XL_PFCM_LANCTXCTL_OP_CODE_SHIFT     17
#define XL_PFCM_LANCTXCTL_OP_CODE_MASK      0x3
#define XL_LANCTX_TYPE_RX       0
#define XL_LANCTX_TYPE_TX       1
#define XL_LANCTX_OP_READ       0
#define XL_LANCTX_OP_WRITE      1
#define XL_PFCM_LANCTXSTAT      0x0010C380
#define XL_PFCM_LANCTXSTAT_CTX_DONE (1u << 0)
#define XL_PFCM_LANCTXSTAT_CTX_MISS (1u << 1)
#define XL_LANCTX_SUBLINE       16      /* bytes per sub-line */

/* PF-side view of VF resources */
#define XL_VFGEN_RSTAT1(vf)     (0x00074400 + (vf) * 4)
#define XL_VPGEN_VFRSTAT(vf)    (0x00091C00 + (vf) * 4)
#define XL_VPGEN_VFRSTAT_VFRD   (1u << 0)
#define XL_VPGEN_VFRTRIG(vf)    (0x00091800 + (vf) * 4)
#define XL_VPGEN_VFRTRIG_VFSWR  (1u << 0)
#define XL_VFINT_DYN_CTL0(vf)   (0x0002A400 + (vf) * 4)
#define XL_VFINT_DYN_CTLN(i)    (0x00024800 + (i) * 4)
#define XL_VFINT_ICR0_ENA(vf)   (0x0002C000 + (vf) * 4)
#define XL_VPLAN_MAPENA(vf)     (0x00074000 + (vf) * 4)
#define XL_VPLAN_MAPENA_ENA     (1u << 0)
#define XL_VPLAN_QTABLE(i, vf)  (0x00070000 + (i) * 1024 + (vf) * 4)
#define XL_VPLAN_QTABLE_QINDEX_MASK 0x7ff
#define XL_VSILAN_QBASE(vsi)    (0x0020C800 + (vsi) * 4)
#define XL_VSILAN_QTABLE(i, vsi) (0x00200000 + (i) * 2048 + (vsi) * 4)

#define XL_GLGEN_PCIFCNCNT      0x001C0AB4
#define XL_GLV_RDPC(i)          (0x00310000 + (i) * 8)  /* Rx discards */
#define XL_GLV_STAT_NUM         384
#define XL_PRTGL_SAH            0x001E2140
#define XL_PRTGEN_CNF           0x000B8120

/* ---- VF BAR0 ---- */
#define XL_VF_QTX_TAIL1(q)      (0x00000000 + (q) * 4)
#define XL_VF_QRX_TAIL1(q)      (0x00002000 + (q) * 4)
#define XL_VF_DYN_CTLN1(v)      (0x00003800 + (v) * 4)
#define XL_VF_ICR01             0x00004800
#define XL_VF_ICR0_ENA1         0x00005000
#define XL_VF_DYN_CTL01         0x00005C00
#define XL_VF_ARQBAH1           0x00006000
#define XL_VF_ATQH1             0x00006400
#define XL_VF_ATQLEN1           0x00006800
#define XL_VF_ARQBAL1           0x00006C00
#define XL_VF_ARQT1             0x00007000
#define XL_VF_ARQH1             0x00007400
#define XL_VF_ATQBAH1           0x00007800
#define XL_VF_ATQBAL1           0x00007C00
#define XL_VF_ARQLEN1           0x00008000
#define XL_VF_ATQT1             0x00008400
#define XL_VFGEN_RSTAT          0x00008800
#define XL_VFR_INPROGRESS       0
#define XL_VFR_COMPLETED        1
#define XL_VFR_VFACTIVE         2

/* ---- AdminQ descriptor ---- */
#define XL_AQ_FLAG_DD           0x0001
#define XL_AQ_FLAG_CMP          0x0002
#define XL_AQ_FLAG_ERR          0x0004
#define XL_AQ_FLAG_LB           0x0200
#define XL_AQ_FLAG_RD           0x0400
#define XL_AQ_FLAG_BUF          0x1000
#define XL_AQ_FLAG_SI           0x2000

#define XL_AQ_RC_OK             0
#define XL_AQ_RC_EPERM          1
#define XL_AQ_RC_ENOENT         2
#define XL_AQ_RC_ESRCH          3
#define XL_AQ_RC_EIO            5
#define XL_AQ_RC_ENOMEM         9
#define XL_AQ_RC_EEXIST         13
#define XL_AQ_RC_EINVAL         14
#define XL_AQ_RC_ENOSPC         16
#define XL_AQ_RC_ENOSYS         17

typedef struct XL710AQDesc {
    uint16_t flags;
    uint16_t opcode;
    uint16_t datalen;
    uint16_t retval;
    uint32_t cookie_high;
    uint32_t cookie_low;
    uint8_t params[16];          /* param0, param1, addr_high, addr_low */
} QEMU_PACKED XL710AQDesc;

#define XL_AQ_DESC_SIZE         32
#define XL_AQ_MAX_BUF           4096

/* AdminQ opcodes */
#define XL_AQC_GET_VERSION      0x0001
#define XL_AQC_DRIVER_VERSION   0x0002
#define XL_AQC_QUEUE_SHUTDOWN   0x0003
#define XL_AQC_SET_PF_CONTEXT   0x0004
#define XL_AQC_REQUEST_RESOURCE 0x0008
#define XL_AQC_RELEASE_RESOURCE 0x0009
#define XL_AQC_LIST_FUNC_CAPS   0x000A
#define XL_AQC_LIST_DEV_CAPS    0x000B
#define XL_AQC_MAC_ADDR_READ    0x0107
#define XL_AQC_MAC_ADDR_WRITE   0x0108
#define XL_AQC_CLEAR_PXE        0x0110
#define XL_AQC_GET_SWITCH_CONF  0x0200
#define XL_AQC_SET_SWITCH_CONF  0x0205
#define XL_AQC_RX_CTL_READ      0x0206
#define XL_AQC_RX_CTL_WRITE     0x0207
#define XL_AQC_ADD_VSI          0x0210
#define XL_AQC_UPDATE_VSI       0x0211
#define XL_AQC_GET_VSI          0x0212
#define XL_AQC_ADD_VEB          0x0230
#define XL_AQC_UPDATE_VEB       0x0231
#define XL_AQC_GET_VEB          0x0232
#define XL_AQC_DELETE_ELEMENT   0x0243
#define XL_AQC_ADD_MACVLAN      0x0250
#define XL_AQC_REMOVE_MACVLAN   0x0251
#define XL_AQC_ADD_VLAN         0x0252
#define XL_AQC_REMOVE_VLAN      0x0253
#define XL_AQC_SET_PROMISC      0x0254
#define XL_AQC_GET_PHY_ABIL     0x0600
#define XL_AQC_SET_PHY_CONFIG   0x0601
#define XL_AQC_SET_LINK_RESTART 0x0605
#define XL_AQC_GET_LINK_STATUS  0x0607
#define XL_AQC_NVM_READ         0x0701
#define XL_AQC_SEND_MSG_TO_PF   0x0801
#define XL_AQC_SEND_MSG_TO_VF   0x0802
#define XL_AQC_LLDP_GET_MIB     0x0A00
#define XL_AQC_LLDP_STOP        0x0A05
#define XL_AQC_DEBUG_READ_REG   0xFF03
#define XL_AQC_DEBUG_WRITE_REG  0xFF04

/* capability ids */
#define XL_CAP_SWITCH_MODE      0x0001
#define XL_CAP_FUNCTIONS_VALID  0x0005
#define XL_CAP_SRIOV            0x0012
#define XL_CAP_VF               0x0013
#define XL_CAP_VSI              0x0017
#define XL_CAP_RSS              0x0040
#define XL_CAP_RXQ              0x0041
#define XL_CAP_TXQ              0x0042
#define XL_CAP_MSIX             0x0043
#define XL_CAP_VF_MSIX          0x0044

/* switch element types */
#define XL_SW_ELEM_MAC          1
#define XL_SW_ELEM_PF           2
#define XL_SW_ELEM_VEB          17
#define XL_SW_ELEM_VSI          19

/* VSI properties (128 bytes) */
#define XL_VSI_PROP_SIZE        128
#define XL_VSI_PROP_SWITCH_VALID     0x0001
#define XL_VSI_PROP_SECURITY_VALID   0x0002
#define XL_VSI_PROP_VLAN_VALID       0x0004
#define XL_VSI_PROP_INGRESS_VALID    0x0008
#define XL_VSI_PROP_EGRESS_VALID     0x0010
#define XL_VSI_PROP_CAS_PV_VALID     0x0020
#define XL_VSI_PROP_QUEUE_MAP_VALID  0x0040
#define XL_VSI_PROP_QUEUE_OPT_VALID  0x0080
#define XL_VSI_PROP_OUTER_UP_VALID   0x0100
#define XL_VSI_PROP_SCHED_VALID      0x0200
#define XL_VSI_OFF_PVID         8
#define XL_VSI_OFF_PVLAN_FLAGS  12
#define XL_VSI_OFF_MAP_FLAGS    28
#define XL_VSI_OFF_QMAP         30
#define XL_VSI_OFF_TCMAP        62
#define XL_VSI_OFF_QS_HANDLE    96
#define XL_VSI_OFF_STAT_IDX     112
#define XL_PVLAN_MODE_MASK      0x03
#define XL_PVLAN_MODE_TAGGED    0x01
#define XL_PVLAN_INSERT_PVID    0x04
#define XL_PVLAN_EMOD_MASK      0x18
#define XL_PVLAN_EMOD_STR_BOTH  0x00
#define XL_PVLAN_EMOD_STR       0x10

#define XL_MACVLAN_ADD_IGNORE_VLAN   0x0004
#define XL_MACVLAN_DEL_IGNORE_VLAN   0x08
#define XL_PROMISC_UNICAST      0x01
#define XL_PROMISC_MULTICAST    0x02
#define XL_PROMISC_BROADCAST    0x04
#define XL_PROMISC_DEFAULT      0x08
#define XL_PROMISC_VLAN         0x10

/* ---- LAN descriptors ---- */
#define XL_TXD_DTYPE_MASK       0xfull
#define XL_TXD_DTYPE_DATA       0x0
#define XL_TXD_DTYPE_CONTEXT    0x1
#define XL_TXD_DTYPE_DONE       0xf
#define XL_TXD_CMD_SHIFT        4
#define XL_TXD_CMD_EOP          0x0001
#define XL_TXD_CMD_RS           0x0002
#define XL_TXD_CMD_IL2TAG1      0x0008
#define XL_TXD_CMD_IIPT_MASK    0x0060
#define XL_TXD_CMD_IIPT_IPV6    0x0020
#define XL_TXD_CMD_IIPT_IPV4    0x0040
#define XL_TXD_CMD_IIPT_IPV4_CSUM 0x0060
#define XL_TXD_CMD_L4T_MASK     0x0300
#define XL_TXD_CMD_L4T_TCP      0x0100
#define XL_TXD_CMD_L4T_SCTP     0x0200
#define XL_TXD_CMD_L4T_UDP      0x0300
#define XL_TXD_OFFSET_SHIFT     16
#define XL_TXD_BUFSZ_SHIFT      34
#define XL_TXD_L2TAG1_SHIFT     48
#define XL_TXCTX_CMD_TSO        0x0001
#define XL_TXCTX_TSOLEN_SHIFT   30
#define XL_TXCTX_MSS_SHIFT      50

#define XL_RXD_DD               (1ull << 0)
#define XL_RXD_EOF              (1ull << 1)
#define XL_RXD_L2TAG1P          (1ull << 2)
#define XL_RXD_LEN_SHIFT        38

#endif
