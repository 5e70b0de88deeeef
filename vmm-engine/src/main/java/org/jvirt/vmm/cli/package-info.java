/** The jvirt-vmm command line ({@code bin/jvirt-vmm}). */
package org.jvirt.vmm.cli;
