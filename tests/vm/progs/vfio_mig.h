/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_mig.h - the v2 migration state of a VFIO device fd, for the test
 * programs (each one static binary, hence a header of static functions).
 */
#ifndef VFIO_MIG_H
#define VFIO_MIG_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

/*
 * vfio_mig_state() - VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE on the device
 * fd DEV: with SET, move it to *STATE and put the new session's data_fd
 * (-1 for none) in *DATA_FD (may be NULL); without, read its state into
 * *STATE.  Returns 0, or a negative errno with nothing written.
 */
static inline int vfio_mig_state(int dev, int set, uint32_t *state,
				 int *data_fd)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_mig_state s;
	} req = { .f = { .argsz = sizeof(req),
			 .flags = (set ? VFIO_DEVICE_FEATURE_SET :
					 VFIO_DEVICE_FEATURE_GET) |
				  VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE } };

	req.s.device_state = *state;
	if (ioctl(dev, VFIO_DEVICE_FEATURE, &req))
		return -errno;
	*state = req.s.device_state;
	if (data_fd)
		*data_fd = set ? req.s.data_fd : -1;
	return 0;
}

#endif
