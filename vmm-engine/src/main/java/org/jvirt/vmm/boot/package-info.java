/**
 * Boot protocols (the linux-loader layer): PVH direct boot of ELF kernels
 * ({@link org.jvirt.vmm.boot.PvhLoader}) and the Linux 64-bit boot protocol for bzImages
 * ({@link org.jvirt.vmm.boot.LinuxLoader}); both write into guest RAM with bounds checks and
 * return the boot processor's entry state.
 */
package org.jvirt.vmm.boot;
