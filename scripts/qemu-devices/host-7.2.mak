# The devices of the host QEMU (scripts/build-qemu.sh), which is built with
# --without-default-devices: L1's machine in tests/vm/run-l1.sh and the
# model's own checks (tests/model/check-pf-services.py), nothing else.
# The XL710 model itself is built with PCI Express, which Q35 selects.
CONFIG_Q35=y
CONFIG_VTD=y
CONFIG_PCIE_PORT=y
CONFIG_E1000E_PCI_EXPRESS=y
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_9P=y
CONFIG_VIRTIO_SERIAL=y
