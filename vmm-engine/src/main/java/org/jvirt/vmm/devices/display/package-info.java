/**
 * QEMU's standard VGA ({@code -vga std}, libvirt's {@code <model type='vga'/>}): the VGA PCI
 * function 1234:1111 with its VRAM as BAR0, the Bochs DISPI (VBE) registers and the VGA ports
 * mirrored in BAR2, the legacy VGA ports and memory window, the Bochs VBE ports 0x1ce/0x1cf,
 * the VGA BIOS as the expansion ROM, and a renderer that turns the state into an RGB image as
 * QEMU's vga.c draws it (screendump).
 */
package org.jvirt.vmm.devices.display;
