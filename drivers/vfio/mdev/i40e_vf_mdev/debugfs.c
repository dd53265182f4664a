// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: debugfs
 *
 * /sys/kernel/debug/i40e_vf_mdev/<mdev UUID>/
 *	traps	trapped BAR0 accesses since the mdev was created, one
 *		"<name> <count>" per line (reads, writes, mailbox, tx_tail,
 *		rx_tail, other; then untrapped: read/write calls that reached
 *		mmap()able pages), then one "trapped <first>-<last>" line
 *		per run of trapped BAR0 bytes
 *	mailbox	the shadow of the mailbox ring registers, one
 *		"<name> <offset> <value> <written|unset>" per line
 *	migration	migration state and counters (mig_engine.h), one
 *		"<name> <value>" per line
 *	dirty	dirty tracking (dirty.c): "offered yes|no" (DMA logging),
 *		then its state and counters and the type1 pins', one
 *		"<name> <value>" per line
 *	reeval	the sparse mmap re-evaluation IRQ (reeval.c):
 *		"offered yes|no", then the lending of the Rx tail page and
 *		its counters, one "<name> <value>" per line
 *	trap_tail	0 or 1: whether the page of the Tx queue tail
 *		registers is trapped (default 0; the Rx tail page of a
 *		migratable device is trapped unless lent).  Writing 1
 *		traps both (i40e_vf_mdev_trap_tails()): tail writes are then
 *		counted as "tx_tail" and "rx_tail" in traps, for tests that
 *		the count can show them.  Set it before the VMM opens the
 *		device: a VMM that mapped the pages gets SIGBUS when it
 *		touches them.  Writing 0 makes them mmap()able again.  Linux
 *		6.10 and later.
 *	reeval_mute	0 or 1: whether the signals of the re-evaluation IRQ
 *		are withheld (default 0).  Writing 1 makes the registered
 *		user behave as one that ignores them, for tests: a claim of
 *		the lent Rx tail page then fails with EAGAIN past its bound
 *		(counted as "withheld" in reeval).
 *
 * Not an ABI; for tests and debugging.
 */

#include <linux/debugfs.h>
#include <linux/find.h>
#include <linux/seq_file.h>

#include "dirty.h"
#include "i40e_vf_mdev.h"
#include "mig_v1.h"

static struct dentry *i40e_vf_mdev_debugfs_root;

static const char * const i40e_vf_mdev_class_names[] = {
	[I40E_VF_MDEV_PAGE_MAILBOX] = "mailbox",
	[I40E_VF_MDEV_PAGE_TX_TAIL] = "tx_tail",
	[I40E_VF_MDEV_PAGE_RX_TAIL] = "rx_tail",
	[I40E_VF_MDEV_PAGE_OTHER] = "other",
};

static_assert(ARRAY_SIZE(i40e_vf_mdev_class_names) ==
	      I40E_VF_MDEV_NR_PAGE_CLASSES);

static const char * const i40e_vf_mdev_mbx_names[] = {
	[I40E_VF_MDEV_MBX_ARQBAH] = "ARQBAH",
	[I40E_VF_MDEV_MBX_ARQBAL] = "ARQBAL",
	[I40E_VF_MDEV_MBX_ARQLEN] = "ARQLEN",
	[I40E_VF_MDEV_MBX_ARQH] = "ARQH",
	[I40E_VF_MDEV_MBX_ARQT] = "ARQT",
	[I40E_VF_MDEV_MBX_ATQBAH] = "ATQBAH",
	[I40E_VF_MDEV_MBX_ATQBAL] = "ATQBAL",
	[I40E_VF_MDEV_MBX_ATQLEN] = "ATQLEN",
	[I40E_VF_MDEV_MBX_ATQH] = "ATQH",
	[I40E_VF_MDEV_MBX_ATQT] = "ATQT",
};

static_assert(ARRAY_SIZE(i40e_vf_mdev_mbx_names) == I40E_VF_MDEV_NR_MBX_REGS);

static int i40e_vf_mdev_traps_show(struct seq_file *s, void *unused)
{
	struct i40e_vf_mdev_dev *idev = s->private;
	DECLARE_BITMAP(pages, I40E_VF_MDEV_BAR0_PAGES);
	struct i40e_vf_mdev_trap_stats stats;
	unsigned int start, end;
	int i;

	i40e_vf_mdev_trap_stats(idev, &stats, pages);

	seq_printf(s, "reads %llu\n", stats.reads);
	seq_printf(s, "writes %llu\n", stats.writes);
	for (i = 0; i < I40E_VF_MDEV_NR_PAGE_CLASSES; i++)
		seq_printf(s, "%s %llu\n", i40e_vf_mdev_class_names[i],
			   stats.class[i]);
	seq_printf(s, "untrapped %llu\n", stats.untrapped);
	for_each_set_bitrange(start, end, pages, I40E_VF_MDEV_BAR0_PAGES)
		seq_printf(s, "trapped %#lx-%#lx\n", (unsigned long)start << PAGE_SHIFT,
			   ((unsigned long)end << PAGE_SHIFT) - 1);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(i40e_vf_mdev_traps);

static int i40e_vf_mdev_mailbox_show(struct seq_file *s, void *unused)
{
	struct i40e_vf_mdev_dev *idev = s->private;
	struct i40e_vf_mdev_mbx_shadow mbx;
	int i;

	i40e_vf_mdev_trap_mbx_snapshot(idev, &mbx);

	for (i = 0; i < I40E_VF_MDEV_NR_MBX_REGS; i++)
		seq_printf(s, "%s %#06x %#010x %s\n", i40e_vf_mdev_mbx_names[i],
			   i40e_vf_mdev_mbx_reg_offset(i), mbx.val[i],
			   test_bit(i, &mbx.written) ? "written" : "unset");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(i40e_vf_mdev_mailbox);

static int i40e_vf_mdev_trap_tail_get(void *data, u64 *val)
{
	*val = i40e_vf_mdev_tails_trapped(data);
	return 0;
}

static int i40e_vf_mdev_trap_tail_set(void *data, u64 val)
{
	if (val > 1)
		return -EINVAL;
	return i40e_vf_mdev_trap_tails(data, val);
}

DEFINE_DEBUGFS_ATTRIBUTE(i40e_vf_mdev_trap_tail_fops,
			 i40e_vf_mdev_trap_tail_get,
			 i40e_vf_mdev_trap_tail_set, "%llu\n");

static int i40e_vf_mdev_reeval_mute_get(void *data, u64 *val)
{
	*val = i40e_vf_mdev_reeval_muted(data);
	return 0;
}

static int i40e_vf_mdev_reeval_mute_set(void *data, u64 val)
{
	if (val > 1)
		return -EINVAL;
	i40e_vf_mdev_reeval_mute(data, val);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(i40e_vf_mdev_reeval_mute_fops,
			 i40e_vf_mdev_reeval_mute_get,
			 i40e_vf_mdev_reeval_mute_set, "%llu\n");

/* migration: the engine's state, the v1 region's and the counters */
static int i40e_vf_mdev_migration_show(struct seq_file *s, void *unused)
{
	struct i40e_vf_mdev_dev *idev = s->private;
	struct i40e_vf_mdev_mig *mig = idev->mig;
	struct i40e_vf_mdev_mig_stats st;
	enum vfio_device_mig_state state;
	u32 v1, gen;

	if (!mig) {
		seq_puts(s, "state none\npf_services no\n");
		return 0;
	}
	mutex_lock(&mig->state_mutex);
	state = mig->state;
	v1 = i40e_vf_mdev_mig_v1_device_state(mig);
	i40e_vf_mdev_mig_unlock(mig);
	i40e_vf_mdev_mig_stats(mig, &st);

	seq_printf(s, "state %s\n", i40e_vf_mdev_mig_state_name(state));
	seq_printf(s, "v1_state %#x\n", v1);
	seq_printf(s, "pf_services %s\n", idev->pf ? "yes" : "no");
	/* the PF's count of the VF's resets, which a migration must not see */
	if (idev->pf && !i40e_vf_mdev_devstate_reset_gen(idev, &gen))
		seq_printf(s, "pf_reset_gen %u\n", gen);
	seq_printf(s, "saved %llu\n", st.saved);
	seq_printf(s, "saved_len %llu\n", st.saved_len);
	seq_printf(s, "saved_crc %#010x\n", st.saved_crc);
	seq_printf(s, "loaded %llu\n", st.loaded);
	seq_printf(s, "loaded_len %llu\n", st.loaded_len);
	seq_printf(s, "loaded_crc %#010x\n", st.loaded_crc);
	seq_printf(s, "rejected %llu\n", st.rejected);
	seq_printf(s, "resets %llu\n", st.resets);
	seq_printf(s, "last_error %s\n", st.last_error[0] ? st.last_error : "-");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(i40e_vf_mdev_migration);

/* dirty: the DMA logging counters (dirty.h) */
static int i40e_vf_mdev_dirty_show(struct seq_file *s, void *unused)
{
	struct i40e_vf_mdev_dirty_stats st;

	if (!i40e_vf_mdev_dirty_stats(s->private, &st)) {
		seq_puts(s, "offered no\n");
		return 0;
	}
	seq_printf(s, "offered %s\n", st.offered ? "yes" : "no");
	seq_printf(s, "tracking %d\n", st.tracking);
	seq_printf(s, "lost %d\n", st.lost);
	seq_printf(s, "starts %llu\n", st.starts);
	seq_printf(s, "stops %llu\n", st.stops);
	seq_printf(s, "reports %llu\n", st.reports);
	seq_printf(s, "reported_pages %llu\n", st.reported_pages);
	seq_printf(s, "marked %llu\n", st.marked);
	seq_printf(s, "rx_posts %llu\n", st.rx_posts);
	seq_printf(s, "descs %llu\n", st.descs);
	seq_printf(s, "unreadable %llu\n", st.unreadable);
	seq_printf(s, "rescans %llu\n", st.rescans);
	seq_printf(s, "bad_tails %llu\n", st.bad_tails);
	seq_printf(s, "read_faults %llu\n", st.read_faults);
	seq_printf(s, "resets %llu\n", st.resets);
	seq_printf(s, "rx_queues %u\n", st.rx_queues);
	seq_printf(s, "tx_queues %u\n", st.tx_queues);
	seq_printf(s, "pinning %d\n", st.pinning);
	seq_printf(s, "pin_sessions %llu\n", st.pin.sessions);
	seq_printf(s, "pin_wanted %llu\n", st.pin.wanted);
	seq_printf(s, "pinned %llu\n", st.pin.pinned);
	seq_printf(s, "pins %llu\n", st.pin.pins);
	seq_printf(s, "unpins %llu\n", st.pin.unpins);
	seq_printf(s, "not_pinned %llu\n", st.pin.not_pinned);
	seq_printf(s, "unmapped %llu\n", st.pin.unmapped);
	seq_printf(s, "fenced %llu\n", st.pin.fenced);
	seq_printf(s, "pin_failed %s\n", st.pin.failed ?: "no");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(i40e_vf_mdev_dirty);

/* reeval: the re-evaluation IRQ and the lending of the Rx tail page */
static int i40e_vf_mdev_reeval_show(struct seq_file *s, void *unused)
{
	struct i40e_vf_mdev_lend_stats st;

	if (!i40e_vf_mdev_reeval_stats(s->private, &st)) {
		seq_puts(s, "offered no\n");
		return 0;
	}
	seq_puts(s, "offered yes\n");
	seq_printf(s, "consumer %d\n", st.consumer);
	seq_printf(s, "lent %d\n", st.lent);
	seq_printf(s, "claims %u\n", st.claims);
	seq_printf(s, "held %d\n", st.held);
	seq_printf(s, "mappings %d\n", st.vmas);
	seq_printf(s, "lends %llu\n", st.count.lends);
	seq_printf(s, "revokes %llu\n", st.count.revokes);
	seq_printf(s, "claim_failures %llu\n", st.count.claim_failures);
	seq_printf(s, "signals %llu\n", st.signals);
	seq_printf(s, "withheld %llu\n", st.withheld);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(i40e_vf_mdev_reeval);

/**
 * i40e_vf_mdev_debugfs_add() - create a device's debugfs directory
 * @idev: the device, whose mdev names the directory
 *
 * Failures are not errors: debugfs is optional.
 */
void i40e_vf_mdev_debugfs_add(struct i40e_vf_mdev_dev *idev)
{
	struct dentry *dir;

	dir = debugfs_create_dir(dev_name(mdev_dev(idev->mdev)),
				 i40e_vf_mdev_debugfs_root);
	debugfs_create_file("traps", 0400, dir, idev,
			    &i40e_vf_mdev_traps_fops);
	debugfs_create_file("mailbox", 0400, dir, idev,
			    &i40e_vf_mdev_mailbox_fops);
	debugfs_create_file_unsafe("trap_tail", 0600, dir, idev,
				   &i40e_vf_mdev_trap_tail_fops);
	debugfs_create_file("migration", 0400, dir, idev,
			    &i40e_vf_mdev_migration_fops);
	debugfs_create_file("dirty", 0400, dir, idev,
			    &i40e_vf_mdev_dirty_fops);
	debugfs_create_file("reeval", 0400, dir, idev,
			    &i40e_vf_mdev_reeval_fops);
	debugfs_create_file_unsafe("reeval_mute", 0600, dir, idev,
				   &i40e_vf_mdev_reeval_mute_fops);
	idev->debugfs = dir;
}

/**
 * i40e_vf_mdev_debugfs_remove() - remove a device's debugfs directory
 * @idev: the device
 *
 * Waits for readers of its files to finish.
 */
void i40e_vf_mdev_debugfs_remove(struct i40e_vf_mdev_dev *idev)
{
	debugfs_remove(idev->debugfs);
	idev->debugfs = NULL;
}

/**
 * i40e_vf_mdev_debugfs_init() - create the driver's debugfs directory
 */
void i40e_vf_mdev_debugfs_init(void)
{
	i40e_vf_mdev_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

/**
 * i40e_vf_mdev_debugfs_exit() - remove the driver's debugfs directory
 */
void i40e_vf_mdev_debugfs_exit(void)
{
	debugfs_remove(i40e_vf_mdev_debugfs_root);
	i40e_vf_mdev_debugfs_root = NULL;
}
