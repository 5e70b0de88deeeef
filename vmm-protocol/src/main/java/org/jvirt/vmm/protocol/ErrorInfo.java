package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** QMP's {"error": {"class": ..., "desc": ...}}; classes used: GenericError, CommandNotFound, DeviceNotActive, DeviceNotFound. */
@JsonPropertyOrder({"class", "desc"})
public record ErrorInfo(@JsonProperty("class") String errorClass, @JsonProperty("desc") String desc) {
    public static final String GENERIC = "GenericError", COMMAND_NOT_FOUND = "CommandNotFound",
            DEVICE_NOT_ACTIVE = "DeviceNotActive", DEVICE_NOT_FOUND = "DeviceNotFound";
}
