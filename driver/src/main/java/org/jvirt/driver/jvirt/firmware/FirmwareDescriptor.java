package org.jvirt.driver.jvirt.firmware;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One firmware descriptor file (QEMU's firmware.json schema), reduced to what choosing and
 * running the firmware takes.
 *
 * @param file           the descriptor itself
 * @param interfaceTypes "bios", "uefi", ...
 * @param device         the mapping's device: "flash" (pflash), "memory" (a ROM image) or "kernel"
 * @param executable     the firmware image (flash: the code volume; memory: the image)
 * @param nvramTemplate  the variable store template of a flash mapping, or null
 * @param targets        architectures with their machine-type globs
 * @param features       "secure-boot", "requires-smm", "enrolled-keys", "acpi-s3", ...
 */
public record FirmwareDescriptor(Path file, List<String> interfaceTypes, String device, Path executable, String executableFormat,
                                 Path nvramTemplate, String nvramFormat, List<Target> targets, Set<String> features) {

    /** An architecture and the machine types (fnmatch globs such as "pc-q35-*") the firmware runs on. */
    public record Target(String architecture, List<String> machines) { }

    public boolean has(String feature) {
        return features.contains(feature);
    }
}
