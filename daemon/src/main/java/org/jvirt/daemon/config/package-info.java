/**
 * jvirtd's config file: libvirt's virConf syntax ({@link org.jvirt.daemon.config.ConfFile}),
 * libvirtd's keys, defaults and messages ({@link org.jvirt.daemon.config.DaemonConfig}) and the
 * default paths of a system, session or --root daemon ({@link org.jvirt.daemon.config.DaemonPaths}).
 */
package org.jvirt.daemon.config;
