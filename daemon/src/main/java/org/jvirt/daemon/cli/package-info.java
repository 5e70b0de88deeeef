/** jvirtd's command line, read and answered as libvirtd's ({@link org.jvirt.daemon.cli.DaemonOptions}). */
package org.jvirt.daemon.cli;
