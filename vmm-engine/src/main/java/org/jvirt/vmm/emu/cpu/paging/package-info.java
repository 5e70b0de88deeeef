/**
 * The emulated CPU's MMU: {@link org.jvirt.vmm.emu.cpu.paging.PageWalker} walks the guest's page
 * tables in every paging mode and caches translations in a TLB.
 */
package org.jvirt.vmm.emu.cpu.paging;
