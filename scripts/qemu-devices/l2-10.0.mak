# The devices of the project's QEMU 10 (scripts/build-qemu10.sh), which is
# built with --without-default-devices: L2's machine in tests/vm (q35,
# -nodefaults, a serial port, the VF through vfio-pci on the legacy
# container or the iommufd backend), nothing else.
CONFIG_Q35=y
CONFIG_VFIO_PCI=y
CONFIG_IOMMUFD=y
