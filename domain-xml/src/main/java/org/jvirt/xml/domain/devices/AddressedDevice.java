package org.jvirt.xml.domain.devices;

/**
 * A device that may carry an {@code <alias>} and an {@code <address>}, as most libvirt
 * devices do. Implemented by the device classes through {@link org.jvirt.xml.model.ElementNode}.
 */
public interface AddressedDevice {

    <T> T child(Class<T> type);

    <T> void setChild(Class<T> type, T value);

    /** Where the device sits on its bus, or null when libvirt is to assign it. */
    default DeviceAddress getAddress() {
        return child(DeviceAddress.class);
    }

    default void setAddress(DeviceAddress value) {
        setChild(DeviceAddress.class, value);
    }

    /** The device's alias (libvirt sets it on running domains), or null. */
    default Alias getAlias() {
        return child(Alias.class);
    }

    default void setAlias(Alias value) {
        setChild(Alias.class, value);
    }
}
