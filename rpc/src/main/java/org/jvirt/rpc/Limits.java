package org.jvirt.rpc;

/** Size limits of virnetprotocol.x and remote_protocol.x. */
public final class Limits {
    private Limits() { }

    /** Header + payload (the length word not counted), libvirt's VIR_NET_MESSAGE_MAX (32 MiB). */
    public static final int MESSAGE_MAX = 33554432;
    public static final int HEADER_SIZE = 24;
    public static final int LENGTH_WORD = 4;
    /** The size libvirtd reads stream data in (VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX). */
    public static final int STREAM_CHUNK = 262120;
    public static final int STRING_MAX = 4194304;
    public static final int DOMAIN_LIST_MAX = 16384;
    public static final int TYPED_PARAMS_MAX = 64;
    public static final int AUTH_TYPE_LIST_MAX = 20;
    public static final int CELLS_MAX = 1024;
    public static final int MEMORY_STATS_MAX = 1024;
    public static final int DOMAIN_MESSAGES_MAX = 2048;
    public static final int COOKIE_MAX = 4194304;
    public static final int UUID_BUFLEN = 16;
    public static final int SECURITY_LABEL_MAX = 4097;
    public static final int SECURITY_MODEL_MAX = 257;
    public static final int VCPUINFO_MAX = 16384;
    public static final int CPUMAPS_MAX = 8388608;
}
