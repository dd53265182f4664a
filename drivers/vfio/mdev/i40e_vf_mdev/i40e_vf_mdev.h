/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev: VFIO mediated device for Intel(R) Ethernet 700 Series VFs
 *
 * Private declarations shared by the files of the module.  Data flows one
 * way: VF (main.c) -> mdev (mdev.c) -> vfio ops (vfio_ops.c) -> BAR0 trap
 * (bar_trap.c), migration, dirty tracking -> PF interface.
 */
#ifndef I40E_VF_MDEV_H
#define I40E_VF_MDEV_H

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/mdev.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vfio_pci_core.h>
#include <linux/wait.h>

#include "stream.h"
#include "regs.h"

/*
 * Names in sysfs (Documentation/ABI/testing/sysfs-driver-i40e_vf_mdev).
 * The mdev type is "<driver>-<type>" there, and the stream header carries
 * it: it must be the same on every host.
 */
#define I40E_VF_MDEV_DRIVER_NAME	"i40e_vf_mdev"
#define I40E_VF_MDEV_TYPE_SYSFS_NAME	"vf"
#define I40E_VF_MDEV_TYPE_NAME		"i40e_vf_mdev-vf"
/* Links in the mdev's directory */
#define I40E_VF_MDEV_ATTR_IOMMU_GROUP	"iommu_group"
#define I40E_VF_MDEV_ATTR_VFIO_DEV	"vfio-dev"

struct dentry;
struct eventfd_ctx;
struct iommu_group;
struct pci_dev;

/*
 * Features owned by their own files.  Migration attaches in vfio_ops.c
 * where marked "Migration": its init (mig.c) sets the vfio device's
 * mig_ops, log_ops and migration_flags (NULL/0 until then, so the device
 * is not migratable), and it gets the open, close, reset and release
 * events.
 */
struct i40e_vf_mdev_mig;	/* migration engine (mig_engine.h) */
struct i40e_vf_mdev_dirty;	/* DMA dirty tracking (dirty.h) */
struct i40e_vf_mdev_pf;		/* PF services (pf_iface.h) */

/* BAR0 in units of the CPU page size, the granule of mmap() and traps */
#define I40E_VF_MDEV_BAR0_PAGES		DIV_ROUND_UP(I40E_VF_MDEV_BAR0_SIZE, \
						     PAGE_SIZE)

/**
 * enum i40e_vf_mdev_page_class - what a trapped BAR0 access touched
 * @I40E_VF_MDEV_PAGE_MAILBOX: mailbox (ATQ/ARQ) and reset status registers
 * @I40E_VF_MDEV_PAGE_TX_TAIL: Tx queue tail registers
 * @I40E_VF_MDEV_PAGE_RX_TAIL: Rx queue tail registers
 * @I40E_VF_MDEV_PAGE_OTHER: anything else (interrupt control, RSS, ...)
 * @I40E_VF_MDEV_NR_PAGE_CLASSES: number of classes
 */
enum i40e_vf_mdev_page_class {
	I40E_VF_MDEV_PAGE_MAILBOX,
	I40E_VF_MDEV_PAGE_TX_TAIL,
	I40E_VF_MDEV_PAGE_RX_TAIL,
	I40E_VF_MDEV_PAGE_OTHER,
	I40E_VF_MDEV_NR_PAGE_CLASSES,
};

/**
 * enum i40e_vf_mdev_mbx_reg - mailbox registers the trap keeps a shadow of
 * @I40E_VF_MDEV_MBX_ARQBAH: ARQ base address, high half
 * @I40E_VF_MDEV_MBX_ARQBAL: ARQ base address, low half
 * @I40E_VF_MDEV_MBX_ARQLEN: ARQ length and enable
 * @I40E_VF_MDEV_MBX_ARQH: ARQ head
 * @I40E_VF_MDEV_MBX_ARQT: ARQ tail
 * @I40E_VF_MDEV_MBX_ATQBAH: ATQ base address, high half
 * @I40E_VF_MDEV_MBX_ATQBAL: ATQ base address, low half
 * @I40E_VF_MDEV_MBX_ATQLEN: ATQ length and enable
 * @I40E_VF_MDEV_MBX_ATQH: ATQ head
 * @I40E_VF_MDEV_MBX_ATQT: ATQ tail
 * @I40E_VF_MDEV_NR_MBX_REGS: number of shadowed registers
 */
enum i40e_vf_mdev_mbx_reg {
	I40E_VF_MDEV_MBX_ARQBAH,
	I40E_VF_MDEV_MBX_ARQBAL,
	I40E_VF_MDEV_MBX_ARQLEN,
	I40E_VF_MDEV_MBX_ARQH,
	I40E_VF_MDEV_MBX_ARQT,
	I40E_VF_MDEV_MBX_ATQBAH,
	I40E_VF_MDEV_MBX_ATQBAL,
	I40E_VF_MDEV_MBX_ATQLEN,
	I40E_VF_MDEV_MBX_ATQH,
	I40E_VF_MDEV_MBX_ATQT,
	I40E_VF_MDEV_NR_MBX_REGS,
};

/**
 * struct i40e_vf_mdev_mbx_shadow - last values the user wrote to the
 * mailbox ring registers
 * @val: register values, indexed by &enum i40e_vf_mdev_mbx_reg
 * @written: bitmap of the registers written since open or reset; bytes of
 *	a register the user never wrote read as zero in @val
 */
struct i40e_vf_mdev_mbx_shadow {
	u32 val[I40E_VF_MDEV_NR_MBX_REGS];
	unsigned long written;
};

/**
 * struct i40e_vf_mdev_trap_stats - trapped BAR0 accesses since creation
 * @reads: pread() calls that reached a trapped page
 * @writes: pwrite() calls that reached a trapped page
 * @class: the same accesses by page class (&enum i40e_vf_mdev_page_class)
 * @untrapped: pread()/pwrite() calls that reached an mmap()able page of
 *	BAR0, i.e. accesses the user could have made through its mapping;
 *	a VMM that maps the sparse areas makes none
 */
struct i40e_vf_mdev_trap_stats {
	u64 reads;
	u64 writes;
	u64 class[I40E_VF_MDEV_NR_PAGE_CLASSES];
	u64 untrapped;
};

/**
 * struct i40e_vf_mdev_lend_counts - what became of the Rx tail page
 * @lends: times it was lent (the areas grew)
 * @revokes: times a claim took it out of the areas
 * @claim_failures: claims that failed because a mapping stayed
 */
struct i40e_vf_mdev_lend_counts {
	u64 lends;
	u64 revokes;
	u64 claim_failures;
};

/**
 * struct i40e_vf_mdev_lend_stats - lending of the Rx tail page (reeval.c)
 * @consumer: a user is registered for the re-evaluation IRQ
 * @lent: the page is lent to it now: in the sparse mmap areas
 * @claims: dirty tracking outlets that claimed it
 * @held: a claim failed and the page is held out of the areas
 * @vmas: user mappings that cover it
 * @count: the trap's counters
 * @signals: re-evaluation IRQs signalled
 * @withheld: signals withheld (debugfs "reeval_mute")
 */
struct i40e_vf_mdev_lend_stats {
	bool consumer;
	bool lent;
	unsigned int claims;
	bool held;
	int vmas;
	struct i40e_vf_mdev_lend_counts count;
	u64 signals;
	u64 withheld;
};

/**
 * struct i40e_vf_mdev_trap - BAR0 trapping state
 * @lock: serialises trapped accesses and protects the members below but
 *	@lent_vmas and @vma_wq
 * @pages: BAR0 pages (of PAGE_SIZE) that are trapped, i.e. neither
 *	mmap()able nor advertised in the sparse mmap capability; worked out
 *	from the members below by i40e_vf_mdev_trap_update()
 * @kept: the pages of @pages that stay trapped for the device's life
 * @rw_pages: the pages whose read()/write() go through the trap: @pages,
 *	and the Rx tail page while it may be lent
 * @track_rx: the device is migratable: the Rx tail page is trapped unless
 *	lent
 * @consumer: a user is registered for the re-evaluation IRQ, to which the
 *	Rx tail page is lent while no claim or @held keeps it
 * @claims: dirty tracking outlets that need the Rx tail page trapped,
 *	granted or waiting
 * @granted: the claims granted: no user mapping of the page is left
 * @held: the last claim failed: the page stays out of the areas
 * @forced: debugfs "trap_tail": both tail pages trapped and zapped
 * @lend: lending counters
 * @lent_vmas: user mappings that cover the Rx tail page
 * @vma_wq: woken when @lent_vmas drops to zero
 * @mbx: shadow of the mailbox ring registers
 * @mbx_stale: the VF was reset since @mbx was written: set without @lock
 *	by i40e_vf_mdev_trap_mark_reset(), acted on and cleared under it
 * @stats: access counters, exposed in debugfs
 * @core_vm_ops: vfio-pci-core's operations of BAR0 mappings, whose fault
 *	handler maps the pages that are not trapped; NULL until BAR0 is
 *	first mmap()ed
 */
struct i40e_vf_mdev_trap {
	struct mutex lock;		/* see above */
	DECLARE_BITMAP(pages, I40E_VF_MDEV_BAR0_PAGES);
	DECLARE_BITMAP(kept, I40E_VF_MDEV_BAR0_PAGES);
	DECLARE_BITMAP(rw_pages, I40E_VF_MDEV_BAR0_PAGES);
	bool track_rx;
	bool consumer;
	unsigned int claims;
	unsigned int granted;
	bool held;
	bool forced;
	struct i40e_vf_mdev_lend_counts lend;
	atomic_t lent_vmas;
	wait_queue_head_t vma_wq;
	struct i40e_vf_mdev_mbx_shadow mbx;
	bool mbx_stale;
	struct i40e_vf_mdev_trap_stats stats;
	const struct vm_operations_struct *core_vm_ops;
};

/**
 * struct i40e_vf_mdev_reeval - the sparse mmap re-evaluation IRQ (reeval.c)
 * @lock: protects @trigger
 * @trigger: the registered user's eventfd, or NULL
 * @signals: times it was signalled
 * @muted: debugfs "reeval_mute": signals are withheld, as from a user
 *	that ignores them (fault injection for tests)
 * @withheld: signals withheld while @muted
 */
struct i40e_vf_mdev_reeval {
	struct mutex lock;		/* see above */
	struct eventfd_ctx *trigger;
	u64 signals;
	bool muted;
	u64 withheld;
};

struct i40e_vf_mdev_parent;

/**
 * struct i40e_vf_mdev_dev - one mdev, i.e. one VF given to userspace
 * @core_device: vfio-pci-core state of the VF; must stay first, it is what
 *	vfio_alloc_device() allocates and what the VF's drvdata points to
 * @mdev: the mdev attached to this device, NULL while there is none; set
 *	while the device is open
 * @parent: the VF's parent state (main.c)
 * @iommu_group: reference on the VF's IOMMU group, held while the mdev's
 *	iommu_group link exists
 * @trap: BAR0 trapping (bar_trap.c)
 * @reeval: the sparse mmap re-evaluation IRQ (reeval.c)
 * @debugfs: this device's debugfs directory, or NULL
 * @mig: migration state, NULL until migration is attached
 * @dirty: dirty page tracker, NULL until dirty tracking is attached
 * @pf: PF services, NULL until the PF interface is attached
 * @mig_off: the operator turned migration off (the mdev's "migration"
 *	attribute, mdev.c): the device is passed through without it
 * @mig_offer: what migration set in the vfio device (mig.c), put back
 *	when it is turned on again
 * @mig_offer.mig_ops: the vfio device's mig_ops
 * @mig_offer.log_ops: its log_ops (NULL if DMA logging is not offered)
 * @mig_offer.flags: its migration_flags
 */
struct i40e_vf_mdev_dev {
	struct vfio_pci_core_device core_device;
	struct mdev_device *mdev;
	struct i40e_vf_mdev_parent *parent;
	struct iommu_group *iommu_group;
	struct i40e_vf_mdev_trap trap;
	struct i40e_vf_mdev_reeval reeval;
	struct dentry *debugfs;
	struct i40e_vf_mdev_mig *mig;
	struct i40e_vf_mdev_dirty *dirty;
	struct i40e_vf_mdev_pf *pf;
	bool mig_off;
	struct {
		const struct vfio_migration_ops *mig_ops;
		const struct vfio_log_ops *log_ops;
		unsigned int flags;
	} mig_offer;
};

/**
 * struct i40e_vf_mdev_parent - a VF bound to this driver
 * @parent: mdev parent registration of the VF
 * @type: the one mdev type every VF offers
 * @types: type list handed to mdev_register_parent()
 * @pdev: the VF
 * @idev: the VF's vfio device, registered while the VF is bound
 * @node: entry in the driver's list of parents of VFs that left it (main.c)
 * @lock: protects @mdev, @attached and @opened; innermost, never held
 *	while waiting
 * @mdev: the VF's mdev, from the start of its creation to the end of its
 *	removal, else NULL; available_instances is 1 only without it
 * @attached: @mdev is fully created: the vfio device matches its UUID
 *	and can be opened
 * @opened: the vfio device is open (from its open_device to the end of
 *	its close_device); removal of @mdev waits until it is false
 * @close_wait: woken when @opened becomes false
 * @open_lock: protects @open_idev
 * @open_idev: @idev while its vfio device is open, for the PCI reset_done
 *	handler (main.c)
 */
struct i40e_vf_mdev_parent {
	struct mdev_parent parent;
	struct mdev_type type;
	struct mdev_type *types[1];
	struct pci_dev *pdev;
	struct i40e_vf_mdev_dev *idev;
	struct list_head node;
	struct mutex lock;		/* see above */
	struct mdev_device *mdev;
	bool attached;
	bool opened;
	wait_queue_head_t close_wait;
	spinlock_t open_lock;		/* protects open_idev */
	struct i40e_vf_mdev_dev *open_idev;
};

static inline struct i40e_vf_mdev_dev *
to_i40e_vf_mdev_dev(struct vfio_device *core_vdev)
{
	return container_of(core_vdev, struct i40e_vf_mdev_dev,
			    core_device.vdev);
}

/* main.c */
bool i40e_vf_mdev_pf_driven(struct pci_dev *vf);
void i40e_vf_mdev_set_open(struct i40e_vf_mdev_dev *idev, bool open);

/* mdev.c */
extern const struct attribute_group *i40e_vf_mdev_mdev_groups[];
int i40e_vf_mdev_probe(struct mdev_device *mdev);
void i40e_vf_mdev_remove(struct mdev_device *mdev);
int i40e_vf_mdev_open_begin(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_open_end(struct i40e_vf_mdev_dev *idev);
bool i40e_vf_mdev_match_name(struct i40e_vf_mdev_dev *idev, const char *name);
#if IS_ENABLED(CONFIG_KUNIT)
struct kobject *i40e_vf_mdev_group_kobj(struct device *dev, int group_id);
#endif

/* vfio_ops.c */
extern const struct vfio_device_ops i40e_vf_mdev_vfio_ops;

/* bar_trap.c */
void i40e_vf_mdev_trap_init(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_trap_destroy(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_trap_track_rx_tails(struct i40e_vf_mdev_dev *idev,
				      bool track);
bool i40e_vf_mdev_trap_lendable(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_trap_set_consumer(struct i40e_vf_mdev_dev *idev, bool on);
bool i40e_vf_mdev_trap_claim(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_trap_claimed(struct i40e_vf_mdev_dev *idev, bool ok);
bool i40e_vf_mdev_trap_unclaim(struct i40e_vf_mdev_dev *idev);
int i40e_vf_mdev_trap_lent_vmas(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_trap_lend_stats(struct i40e_vf_mdev_dev *idev,
				  struct i40e_vf_mdev_lend_stats *st);
int i40e_vf_mdev_bar0_mmap(struct i40e_vf_mdev_dev *idev,
			   struct vm_area_struct *vma);
void i40e_vf_mdev_trap_reset(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_trap_mark_reset(struct i40e_vf_mdev_dev *idev);
bool i40e_vf_mdev_trap_hit(struct i40e_vf_mdev_dev *idev, u64 start,
			   u64 len);
int i40e_vf_mdev_bar0_get_region_info(struct i40e_vf_mdev_dev *idev,
				      struct vfio_region_info *info,
				      void __user *arg);
ssize_t i40e_vf_mdev_bar0_rw(struct i40e_vf_mdev_dev *idev, char __user *buf,
			     size_t count, loff_t *ppos, bool iswrite);
void i40e_vf_mdev_trap_mbx_snapshot(struct i40e_vf_mdev_dev *idev,
				    struct i40e_vf_mdev_mbx_shadow *out);
void i40e_vf_mdev_trap_stats(struct i40e_vf_mdev_dev *idev,
			     struct i40e_vf_mdev_trap_stats *stats,
			     unsigned long *pages);
int i40e_vf_mdev_trap_tails(struct i40e_vf_mdev_dev *idev, bool trap_them);
bool i40e_vf_mdev_tails_trapped(struct i40e_vf_mdev_dev *idev);
u32 i40e_vf_mdev_mbx_reg_offset(enum i40e_vf_mdev_mbx_reg reg);
enum i40e_vf_mdev_page_class i40e_vf_mdev_page_class(u64 offset);

/* reeval.c */
#define I40E_VF_MDEV_REEVAL_IRQ_INDEX	VFIO_PCI_NUM_IRQS
void i40e_vf_mdev_reeval_init(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_reeval_destroy(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_reeval_close(struct i40e_vf_mdev_dev *idev);
long i40e_vf_mdev_reeval_get_info(struct i40e_vf_mdev_dev *idev,
				  unsigned int cmd, unsigned long arg);
long i40e_vf_mdev_reeval_get_irq_info(struct i40e_vf_mdev_dev *idev,
				      unsigned int cmd, unsigned long arg);
long i40e_vf_mdev_reeval_set_irqs(struct i40e_vf_mdev_dev *idev,
				  unsigned int cmd, unsigned long arg);
int i40e_vf_mdev_reeval_claim(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_reeval_unclaim(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_reeval_mute(struct i40e_vf_mdev_dev *idev, bool mute);
bool i40e_vf_mdev_reeval_muted(struct i40e_vf_mdev_dev *idev);
bool i40e_vf_mdev_reeval_stats(struct i40e_vf_mdev_dev *idev,
			       struct i40e_vf_mdev_lend_stats *st);

/* Migration (mig.c, mig_engine.c; the engine's own header is mig_engine.h) */
int i40e_vf_mdev_mig_init(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_mig_detach(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_mig_release(struct i40e_vf_mdev_dev *idev);
int i40e_vf_mdev_mig_open(struct i40e_vf_mdev_dev *idev);
bool i40e_vf_mdev_mig_offered(struct i40e_vf_mdev_dev *idev);
int i40e_vf_mdev_mig_offer(struct i40e_vf_mdev_dev *idev, bool on);
void i40e_vf_mdev_mig_close(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_mig_closed(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_mig_reset_done(struct i40e_vf_mdev_dev *idev);

/* devstate.c */
void i40e_vf_mdev_devstate_ident(struct i40e_vf_mdev_dev *idev,
				 struct i40e_vf_mdev_stream_ident *id);
int i40e_vf_mdev_devstate_quiesce(struct i40e_vf_mdev_dev *idev,
				  bool quiesce);
int i40e_vf_mdev_devstate_freeze(struct i40e_vf_mdev_dev *idev, bool freeze);
int i40e_vf_mdev_devstate_reset_gen(struct i40e_vf_mdev_dev *idev, u32 *gen);
int i40e_vf_mdev_devstate_check(void *priv,
				const struct i40e_vf_mdev_state *state);
int i40e_vf_mdev_devstate_save(struct i40e_vf_mdev_dev *idev,
			       struct i40e_vf_mdev_writer *w);
size_t i40e_vf_mdev_devstate_size(struct i40e_vf_mdev_dev *idev);
int i40e_vf_mdev_devstate_load(struct i40e_vf_mdev_dev *idev,
			       const struct i40e_vf_mdev_state *state);

/* debugfs.c */
#ifdef CONFIG_DEBUG_FS
void i40e_vf_mdev_debugfs_init(void);
void i40e_vf_mdev_debugfs_exit(void);
void i40e_vf_mdev_debugfs_add(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_debugfs_remove(struct i40e_vf_mdev_dev *idev);
#else
static inline void i40e_vf_mdev_debugfs_init(void) { }
static inline void i40e_vf_mdev_debugfs_exit(void) { }
static inline void i40e_vf_mdev_debugfs_add(struct i40e_vf_mdev_dev *idev) { }
static inline void
i40e_vf_mdev_debugfs_remove(struct i40e_vf_mdev_dev *idev) { }
#endif

#endif /* I40E_VF_MDEV_H */
