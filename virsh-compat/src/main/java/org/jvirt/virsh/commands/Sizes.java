package org.jvirt.virsh.commands;

/** virsh's scaled sizes (vshCommandOptScaledInt): a number with an optional unit, default KiB. */
final class Sizes {

    private Sizes() { }

    /** The size in KiB, or -1 when the text is not a valid size. */
    static long kib(String text) {
        int i = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
        if (i == 0) return -1;
        long n;
        try {
            n = Long.parseLong(text.substring(0, i));
        } catch (NumberFormatException e) {
            return -1;
        }
        String unit = text.substring(i);
        long scale = switch (unit) {
            case "" , "k", "K", "KiB" -> 1024;
            case "b", "B", "bytes" -> 1;
            case "KB" -> 1000;
            case "m", "M", "MiB" -> 1024L * 1024;
            case "MB" -> 1000L * 1000;
            case "g", "G", "GiB" -> 1024L * 1024 * 1024;
            case "GB" -> 1000L * 1000 * 1000;
            case "t", "T", "TiB" -> 1024L * 1024 * 1024 * 1024;
            case "TB" -> 1000L * 1000 * 1000 * 1000;
            default -> -1;
        };
        if (scale < 0) return -1;
        long bytes = n * scale;
        return (bytes + 1023) / 1024;
    }
}
