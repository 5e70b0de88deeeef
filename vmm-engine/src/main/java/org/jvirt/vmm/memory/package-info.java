/**
 * Guest RAM: {@link org.jvirt.vmm.memory.MmapGuestMemory} implements the bounds-checked
 * {@link org.jvirt.vmm.memory.GuestMemory} over mmap'ed {@link org.jvirt.vmm.memory.MmapRegion}s
 * laid out by {@link org.jvirt.vmm.memory.X86MemoryLayout} (below the PCI hole, rest above 4 GiB).
 */
package org.jvirt.vmm.memory;
