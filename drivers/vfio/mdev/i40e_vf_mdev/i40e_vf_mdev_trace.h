/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev: tracepoints
 *
 * Kernel only; the userspace unit tests build none of the files that
 * include this header.  mig_engine.c defines CREATE_TRACE_POINTS.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM i40e_vf_mdev

#if !defined(_I40E_VF_MDEV_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _I40E_VF_MDEV_TRACE_H

#include <linux/device.h>
#include <linux/tracepoint.h>

/**
 * i40e_vf_mdev_mig_arc - one arc of the migration state machine
 * @dev: the mdev
 * @from: v2 state before the arc
 * @to: v2 state the arc goes to
 * @ret: 0, or the errno the arc failed with
 */
TRACE_EVENT(i40e_vf_mdev_mig_arc,
	    TP_PROTO(struct device *dev, u32 from, u32 to, int ret),
	    TP_ARGS(dev, from, to, ret),
	    TP_STRUCT__entry(__string(dev, dev_name(dev))
			     __field(u32, from)
			     __field(u32, to)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(dev);
			   __entry->from = from;
			   __entry->to = to;
			   __entry->ret = ret;),
	    TP_printk("%s %u -> %u: %d", __get_str(dev), __entry->from,
		      __entry->to, __entry->ret)
);

/**
 * i40e_vf_mdev_stream_reject - a resume stream was rejected
 * @dev: the mdev
 * @reason: the parser's reason
 */
TRACE_EVENT(i40e_vf_mdev_stream_reject,
	    TP_PROTO(struct device *dev, const char *reason),
	    TP_ARGS(dev, reason),
	    TP_STRUCT__entry(__string(dev, dev_name(dev))
			     __string(reason, reason)),
	    TP_fast_assign(__assign_str(dev);
			   __assign_str(reason);),
	    TP_printk("%s: %s", __get_str(dev), __get_str(reason))
);

/**
 * i40e_vf_mdev_trap_access - one access to a trapped page of BAR0
 * @dev: the VF
 * @offset: offset in BAR0
 * @size: 1, 2 or 4 bytes
 * @write: true for a write
 * @val: the value written, or read (0 if the read failed)
 * @ret: 0, or the errno of vfio-pci-core's accessor (-EIO while the VF
 *	is in D3hot)
 */
TRACE_EVENT(i40e_vf_mdev_trap_access,
	    TP_PROTO(struct device *dev, u64 offset, unsigned int size,
		     bool write, u32 val, int ret),
	    TP_ARGS(dev, offset, size, write, val, ret),
	    TP_STRUCT__entry(__string(dev, dev_name(dev))
			     __field(u64, offset)
			     __field(unsigned int, size)
			     __field(bool, write)
			     __field(u32, val)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(dev);
			   __entry->offset = offset;
			   __entry->size = size;
			   __entry->write = write;
			   __entry->val = val;
			   __entry->ret = ret;),
	    TP_printk("%s %s 0x%llx/%u 0x%x: %d", __get_str(dev),
		      __entry->write ? "write" : "read", __entry->offset,
		      __entry->size, __entry->val, __entry->ret)
);

/**
 * i40e_vf_mdev_dirty_report - one DMA logging report (read and clear)
 * @dev: the mdev
 * @iova: start of the window the user asked about
 * @length: its length
 * @pages: pages reported dirty in it
 * @ret: 0, or the errno the report failed with
 */
TRACE_EVENT(i40e_vf_mdev_dirty_report,
	    TP_PROTO(struct device *dev, u64 iova, u64 length, u64 pages,
		     int ret),
	    TP_ARGS(dev, iova, length, pages, ret),
	    TP_STRUCT__entry(__string(dev, dev_name(dev))
			     __field(u64, iova)
			     __field(u64, length)
			     __field(u64, pages)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(dev);
			   __entry->iova = iova;
			   __entry->length = length;
			   __entry->pages = pages;
			   __entry->ret = ret;),
	    TP_printk("%s 0x%llx+0x%llx: %llu pages: %d", __get_str(dev),
		      __entry->iova, __entry->length, __entry->pages,
		      __entry->ret)
);

#endif /* _I40E_VF_MDEV_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE i40e_vf_mdev_trace
#include <trace/define_trace.h>
