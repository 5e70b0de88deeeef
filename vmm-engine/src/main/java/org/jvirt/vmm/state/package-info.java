/**
 * The versioned machine-state file: a header (magic, format version), then tagged sections
 * (id, section version, flags, length, CRC32C), then an end marker. Every CPU backend and
 * device writes its own section through {@link org.jvirt.vmm.state.StateWriter} and reads it
 * back through {@link org.jvirt.vmm.state.StateReader}, which validates the whole file before
 * handing out any section. The layout is described in vmm-engine/README.md.
 */
package org.jvirt.vmm.state;
