/** virtio-rng: a guest entropy source fed from a host file such as /dev/urandom (QEMU's rng-random). */
package org.jvirt.vmm.devices.rng;
