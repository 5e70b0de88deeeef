/**
 * The guest's input as display sources see it: {@link org.jvirt.vmm.devices.input.InputSink}
 * takes key and pointer events (from VNC clients and send-key) and routes them to the guest's
 * keyboard and pointing devices.
 */
package org.jvirt.vmm.devices.input;
