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

#endif /* _I40E_VF_MDEV_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE i40e_vf_mdev_trace
#include <trace/define_trace.h>
