/**
 * UEFI's flash: QEMU's pflash_cfi01 (a CFI flash with the Intel command set) holding OVMF's code
 * (unit 0, read-only) and its variable store (unit 1, written through to its file), both mapped
 * so that they end at 4 GiB as QEMU's pc machine maps -drive if=pflash units.
 */
package org.jvirt.vmm.devices.pflash;
