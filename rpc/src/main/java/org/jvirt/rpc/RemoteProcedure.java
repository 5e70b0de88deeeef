package org.jvirt.rpc;

/**
 * REMOTE program procedure numbers (remote_protocol.x; 1-443, the same in libvirt 9.0 and 9.6).
 * Generated from the table in ../shared/spec/libvirt-rpc.md, appendix A.
 */
public final class RemoteProcedure {
    private RemoteProcedure() { }

    public static final int CONNECT_OPEN = 1;
    public static final int CONNECT_CLOSE = 2;
    public static final int CONNECT_GET_TYPE = 3;
    public static final int CONNECT_GET_VERSION = 4;
    public static final int CONNECT_GET_MAX_VCPUS = 5;
    public static final int NODE_GET_INFO = 6;
    public static final int CONNECT_GET_CAPABILITIES = 7;
    public static final int DOMAIN_ATTACH_DEVICE = 8;
    public static final int DOMAIN_CREATE = 9;
    public static final int DOMAIN_CREATE_XML = 10;
    public static final int DOMAIN_DEFINE_XML = 11;
    public static final int DOMAIN_DESTROY = 12;
    public static final int DOMAIN_DETACH_DEVICE = 13;
    public static final int DOMAIN_GET_XML_DESC = 14;
    public static final int DOMAIN_GET_AUTOSTART = 15;
    public static final int DOMAIN_GET_INFO = 16;
    public static final int DOMAIN_GET_MAX_MEMORY = 17;
    public static final int DOMAIN_GET_MAX_VCPUS = 18;
    public static final int DOMAIN_GET_OS_TYPE = 19;
    public static final int DOMAIN_GET_VCPUS = 20;
    public static final int CONNECT_LIST_DEFINED_DOMAINS = 21;
    public static final int DOMAIN_LOOKUP_BY_ID = 22;
    public static final int DOMAIN_LOOKUP_BY_NAME = 23;
    public static final int DOMAIN_LOOKUP_BY_UUID = 24;
    public static final int CONNECT_NUM_OF_DEFINED_DOMAINS = 25;
    public static final int DOMAIN_PIN_VCPU = 26;
    public static final int DOMAIN_REBOOT = 27;
    public static final int DOMAIN_RESUME = 28;
    public static final int DOMAIN_SET_AUTOSTART = 29;
    public static final int DOMAIN_SET_MAX_MEMORY = 30;
    public static final int DOMAIN_SET_MEMORY = 31;
    public static final int DOMAIN_SET_VCPUS = 32;
    public static final int DOMAIN_SHUTDOWN = 33;
    public static final int DOMAIN_SUSPEND = 34;
    public static final int DOMAIN_UNDEFINE = 35;
    public static final int CONNECT_LIST_DEFINED_NETWORKS = 36;
    public static final int CONNECT_LIST_DOMAINS = 37;
    public static final int CONNECT_LIST_NETWORKS = 38;
    public static final int NETWORK_CREATE = 39;
    public static final int NETWORK_CREATE_XML = 40;
    public static final int NETWORK_DEFINE_XML = 41;
    public static final int NETWORK_DESTROY = 42;
    public static final int NETWORK_GET_XML_DESC = 43;
    public static final int NETWORK_GET_AUTOSTART = 44;
    public static final int NETWORK_GET_BRIDGE_NAME = 45;
    public static final int NETWORK_LOOKUP_BY_NAME = 46;
    public static final int NETWORK_LOOKUP_BY_UUID = 47;
    public static final int NETWORK_SET_AUTOSTART = 48;
    public static final int NETWORK_UNDEFINE = 49;
    public static final int CONNECT_NUM_OF_DEFINED_NETWORKS = 50;
    public static final int CONNECT_NUM_OF_DOMAINS = 51;
    public static final int CONNECT_NUM_OF_NETWORKS = 52;
    public static final int DOMAIN_CORE_DUMP = 53;
    public static final int DOMAIN_RESTORE = 54;
    public static final int DOMAIN_SAVE = 55;
    public static final int DOMAIN_GET_SCHEDULER_TYPE = 56;
    public static final int DOMAIN_GET_SCHEDULER_PARAMETERS = 57;
    public static final int DOMAIN_SET_SCHEDULER_PARAMETERS = 58;
    public static final int CONNECT_GET_HOSTNAME = 59;
    public static final int CONNECT_SUPPORTS_FEATURE = 60;
    public static final int DOMAIN_MIGRATE_PREPARE = 61;
    public static final int DOMAIN_MIGRATE_PERFORM = 62;
    public static final int DOMAIN_MIGRATE_FINISH = 63;
    public static final int DOMAIN_BLOCK_STATS = 64;
    public static final int DOMAIN_INTERFACE_STATS = 65;
    public static final int AUTH_LIST = 66;
    public static final int AUTH_SASL_INIT = 67;
    public static final int AUTH_SASL_START = 68;
    public static final int AUTH_SASL_STEP = 69;
    public static final int AUTH_POLKIT = 70;
    public static final int CONNECT_NUM_OF_STORAGE_POOLS = 71;
    public static final int CONNECT_LIST_STORAGE_POOLS = 72;
    public static final int CONNECT_NUM_OF_DEFINED_STORAGE_POOLS = 73;
    public static final int CONNECT_LIST_DEFINED_STORAGE_POOLS = 74;
    public static final int CONNECT_FIND_STORAGE_POOL_SOURCES = 75;
    public static final int STORAGE_POOL_CREATE_XML = 76;
    public static final int STORAGE_POOL_DEFINE_XML = 77;
    public static final int STORAGE_POOL_CREATE = 78;
    public static final int STORAGE_POOL_BUILD = 79;
    public static final int STORAGE_POOL_DESTROY = 80;
    public static final int STORAGE_POOL_DELETE = 81;
    public static final int STORAGE_POOL_UNDEFINE = 82;
    public static final int STORAGE_POOL_REFRESH = 83;
    public static final int STORAGE_POOL_LOOKUP_BY_NAME = 84;
    public static final int STORAGE_POOL_LOOKUP_BY_UUID = 85;
    public static final int STORAGE_POOL_LOOKUP_BY_VOLUME = 86;
    public static final int STORAGE_POOL_GET_INFO = 87;
    public static final int STORAGE_POOL_GET_XML_DESC = 88;
    public static final int STORAGE_POOL_GET_AUTOSTART = 89;
    public static final int STORAGE_POOL_SET_AUTOSTART = 90;
    public static final int STORAGE_POOL_NUM_OF_VOLUMES = 91;
    public static final int STORAGE_POOL_LIST_VOLUMES = 92;
    public static final int STORAGE_VOL_CREATE_XML = 93;
    public static final int STORAGE_VOL_DELETE = 94;
    public static final int STORAGE_VOL_LOOKUP_BY_NAME = 95;
    public static final int STORAGE_VOL_LOOKUP_BY_KEY = 96;
    public static final int STORAGE_VOL_LOOKUP_BY_PATH = 97;
    public static final int STORAGE_VOL_GET_INFO = 98;
    public static final int STORAGE_VOL_GET_XML_DESC = 99;
    public static final int STORAGE_VOL_GET_PATH = 100;
    public static final int NODE_GET_CELLS_FREE_MEMORY = 101;
    public static final int NODE_GET_FREE_MEMORY = 102;
    public static final int DOMAIN_BLOCK_PEEK = 103;
    public static final int DOMAIN_MEMORY_PEEK = 104;
    public static final int CONNECT_DOMAIN_EVENT_REGISTER = 105;
    public static final int CONNECT_DOMAIN_EVENT_DEREGISTER = 106;
    public static final int DOMAIN_EVENT_LIFECYCLE = 107;
    public static final int DOMAIN_MIGRATE_PREPARE2 = 108;
    public static final int DOMAIN_MIGRATE_FINISH2 = 109;
    public static final int CONNECT_GET_URI = 110;
    public static final int NODE_NUM_OF_DEVICES = 111;
    public static final int NODE_LIST_DEVICES = 112;
    public static final int NODE_DEVICE_LOOKUP_BY_NAME = 113;
    public static final int NODE_DEVICE_GET_XML_DESC = 114;
    public static final int NODE_DEVICE_GET_PARENT = 115;
    public static final int NODE_DEVICE_NUM_OF_CAPS = 116;
    public static final int NODE_DEVICE_LIST_CAPS = 117;
    public static final int NODE_DEVICE_DETTACH = 118;
    public static final int NODE_DEVICE_RE_ATTACH = 119;
    public static final int NODE_DEVICE_RESET = 120;
    public static final int DOMAIN_GET_SECURITY_LABEL = 121;
    public static final int NODE_GET_SECURITY_MODEL = 122;
    public static final int NODE_DEVICE_CREATE_XML = 123;
    public static final int NODE_DEVICE_DESTROY = 124;
    public static final int STORAGE_VOL_CREATE_XML_FROM = 125;
    public static final int CONNECT_NUM_OF_INTERFACES = 126;
    public static final int CONNECT_LIST_INTERFACES = 127;
    public static final int INTERFACE_LOOKUP_BY_NAME = 128;
    public static final int INTERFACE_LOOKUP_BY_MAC_STRING = 129;
    public static final int INTERFACE_GET_XML_DESC = 130;
    public static final int INTERFACE_DEFINE_XML = 131;
    public static final int INTERFACE_UNDEFINE = 132;
    public static final int INTERFACE_CREATE = 133;
    public static final int INTERFACE_DESTROY = 134;
    public static final int CONNECT_DOMAIN_XML_FROM_NATIVE = 135;
    public static final int CONNECT_DOMAIN_XML_TO_NATIVE = 136;
    public static final int CONNECT_NUM_OF_DEFINED_INTERFACES = 137;
    public static final int CONNECT_LIST_DEFINED_INTERFACES = 138;
    public static final int CONNECT_NUM_OF_SECRETS = 139;
    public static final int CONNECT_LIST_SECRETS = 140;
    public static final int SECRET_LOOKUP_BY_UUID = 141;
    public static final int SECRET_DEFINE_XML = 142;
    public static final int SECRET_GET_XML_DESC = 143;
    public static final int SECRET_SET_VALUE = 144;
    public static final int SECRET_GET_VALUE = 145;
    public static final int SECRET_UNDEFINE = 146;
    public static final int SECRET_LOOKUP_BY_USAGE = 147;
    public static final int DOMAIN_MIGRATE_PREPARE_TUNNEL = 148;
    public static final int CONNECT_IS_SECURE = 149;
    public static final int DOMAIN_IS_ACTIVE = 150;
    public static final int DOMAIN_IS_PERSISTENT = 151;
    public static final int NETWORK_IS_ACTIVE = 152;
    public static final int NETWORK_IS_PERSISTENT = 153;
    public static final int STORAGE_POOL_IS_ACTIVE = 154;
    public static final int STORAGE_POOL_IS_PERSISTENT = 155;
    public static final int INTERFACE_IS_ACTIVE = 156;
    public static final int CONNECT_GET_LIB_VERSION = 157;
    public static final int CONNECT_COMPARE_CPU = 158;
    public static final int DOMAIN_MEMORY_STATS = 159;
    public static final int DOMAIN_ATTACH_DEVICE_FLAGS = 160;
    public static final int DOMAIN_DETACH_DEVICE_FLAGS = 161;
    public static final int CONNECT_BASELINE_CPU = 162;
    public static final int DOMAIN_GET_JOB_INFO = 163;
    public static final int DOMAIN_ABORT_JOB = 164;
    public static final int STORAGE_VOL_WIPE = 165;
    public static final int DOMAIN_MIGRATE_SET_MAX_DOWNTIME = 166;
    public static final int CONNECT_DOMAIN_EVENT_REGISTER_ANY = 167;
    public static final int CONNECT_DOMAIN_EVENT_DEREGISTER_ANY = 168;
    public static final int DOMAIN_EVENT_REBOOT = 169;
    public static final int DOMAIN_EVENT_RTC_CHANGE = 170;
    public static final int DOMAIN_EVENT_WATCHDOG = 171;
    public static final int DOMAIN_EVENT_IO_ERROR = 172;
    public static final int DOMAIN_EVENT_GRAPHICS = 173;
    public static final int DOMAIN_UPDATE_DEVICE_FLAGS = 174;
    public static final int NWFILTER_LOOKUP_BY_NAME = 175;
    public static final int NWFILTER_LOOKUP_BY_UUID = 176;
    public static final int NWFILTER_GET_XML_DESC = 177;
    public static final int CONNECT_NUM_OF_NWFILTERS = 178;
    public static final int CONNECT_LIST_NWFILTERS = 179;
    public static final int NWFILTER_DEFINE_XML = 180;
    public static final int NWFILTER_UNDEFINE = 181;
    public static final int DOMAIN_MANAGED_SAVE = 182;
    public static final int DOMAIN_HAS_MANAGED_SAVE_IMAGE = 183;
    public static final int DOMAIN_MANAGED_SAVE_REMOVE = 184;
    public static final int DOMAIN_SNAPSHOT_CREATE_XML = 185;
    public static final int DOMAIN_SNAPSHOT_GET_XML_DESC = 186;
    public static final int DOMAIN_SNAPSHOT_NUM = 187;
    public static final int DOMAIN_SNAPSHOT_LIST_NAMES = 188;
    public static final int DOMAIN_SNAPSHOT_LOOKUP_BY_NAME = 189;
    public static final int DOMAIN_HAS_CURRENT_SNAPSHOT = 190;
    public static final int DOMAIN_SNAPSHOT_CURRENT = 191;
    public static final int DOMAIN_REVERT_TO_SNAPSHOT = 192;
    public static final int DOMAIN_SNAPSHOT_DELETE = 193;
    public static final int DOMAIN_GET_BLOCK_INFO = 194;
    public static final int DOMAIN_EVENT_IO_ERROR_REASON = 195;
    public static final int DOMAIN_CREATE_WITH_FLAGS = 196;
    public static final int DOMAIN_SET_MEMORY_PARAMETERS = 197;
    public static final int DOMAIN_GET_MEMORY_PARAMETERS = 198;
    public static final int DOMAIN_SET_VCPUS_FLAGS = 199;
    public static final int DOMAIN_GET_VCPUS_FLAGS = 200;
    public static final int DOMAIN_OPEN_CONSOLE = 201;
    public static final int DOMAIN_IS_UPDATED = 202;
    public static final int CONNECT_GET_SYSINFO = 203;
    public static final int DOMAIN_SET_MEMORY_FLAGS = 204;
    public static final int DOMAIN_SET_BLKIO_PARAMETERS = 205;
    public static final int DOMAIN_GET_BLKIO_PARAMETERS = 206;
    public static final int DOMAIN_MIGRATE_SET_MAX_SPEED = 207;
    public static final int STORAGE_VOL_UPLOAD = 208;
    public static final int STORAGE_VOL_DOWNLOAD = 209;
    public static final int DOMAIN_INJECT_NMI = 210;
    public static final int DOMAIN_SCREENSHOT = 211;
    public static final int DOMAIN_GET_STATE = 212;
    public static final int DOMAIN_MIGRATE_BEGIN3 = 213;
    public static final int DOMAIN_MIGRATE_PREPARE3 = 214;
    public static final int DOMAIN_MIGRATE_PREPARE_TUNNEL3 = 215;
    public static final int DOMAIN_MIGRATE_PERFORM3 = 216;
    public static final int DOMAIN_MIGRATE_FINISH3 = 217;
    public static final int DOMAIN_MIGRATE_CONFIRM3 = 218;
    public static final int DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS = 219;
    public static final int INTERFACE_CHANGE_BEGIN = 220;
    public static final int INTERFACE_CHANGE_COMMIT = 221;
    public static final int INTERFACE_CHANGE_ROLLBACK = 222;
    public static final int DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS = 223;
    public static final int DOMAIN_EVENT_CONTROL_ERROR = 224;
    public static final int DOMAIN_PIN_VCPU_FLAGS = 225;
    public static final int DOMAIN_SEND_KEY = 226;
    public static final int NODE_GET_CPU_STATS = 227;
    public static final int NODE_GET_MEMORY_STATS = 228;
    public static final int DOMAIN_GET_CONTROL_INFO = 229;
    public static final int DOMAIN_GET_VCPU_PIN_INFO = 230;
    public static final int DOMAIN_UNDEFINE_FLAGS = 231;
    public static final int DOMAIN_SAVE_FLAGS = 232;
    public static final int DOMAIN_RESTORE_FLAGS = 233;
    public static final int DOMAIN_DESTROY_FLAGS = 234;
    public static final int DOMAIN_SAVE_IMAGE_GET_XML_DESC = 235;
    public static final int DOMAIN_SAVE_IMAGE_DEFINE_XML = 236;
    public static final int DOMAIN_BLOCK_JOB_ABORT = 237;
    public static final int DOMAIN_GET_BLOCK_JOB_INFO = 238;
    public static final int DOMAIN_BLOCK_JOB_SET_SPEED = 239;
    public static final int DOMAIN_BLOCK_PULL = 240;
    public static final int DOMAIN_EVENT_BLOCK_JOB = 241;
    public static final int DOMAIN_MIGRATE_GET_MAX_SPEED = 242;
    public static final int DOMAIN_BLOCK_STATS_FLAGS = 243;
    public static final int DOMAIN_SNAPSHOT_GET_PARENT = 244;
    public static final int DOMAIN_RESET = 245;
    public static final int DOMAIN_SNAPSHOT_NUM_CHILDREN = 246;
    public static final int DOMAIN_SNAPSHOT_LIST_CHILDREN_NAMES = 247;
    public static final int DOMAIN_EVENT_DISK_CHANGE = 248;
    public static final int DOMAIN_OPEN_GRAPHICS = 249;
    public static final int NODE_SUSPEND_FOR_DURATION = 250;
    public static final int DOMAIN_BLOCK_RESIZE = 251;
    public static final int DOMAIN_SET_BLOCK_IO_TUNE = 252;
    public static final int DOMAIN_GET_BLOCK_IO_TUNE = 253;
    public static final int DOMAIN_SET_NUMA_PARAMETERS = 254;
    public static final int DOMAIN_GET_NUMA_PARAMETERS = 255;
    public static final int DOMAIN_SET_INTERFACE_PARAMETERS = 256;
    public static final int DOMAIN_GET_INTERFACE_PARAMETERS = 257;
    public static final int DOMAIN_SHUTDOWN_FLAGS = 258;
    public static final int STORAGE_VOL_WIPE_PATTERN = 259;
    public static final int STORAGE_VOL_RESIZE = 260;
    public static final int DOMAIN_PM_SUSPEND_FOR_DURATION = 261;
    public static final int DOMAIN_GET_CPU_STATS = 262;
    public static final int DOMAIN_GET_DISK_ERRORS = 263;
    public static final int DOMAIN_SET_METADATA = 264;
    public static final int DOMAIN_GET_METADATA = 265;
    public static final int DOMAIN_BLOCK_REBASE = 266;
    public static final int DOMAIN_PM_WAKEUP = 267;
    public static final int DOMAIN_EVENT_TRAY_CHANGE = 268;
    public static final int DOMAIN_EVENT_PMWAKEUP = 269;
    public static final int DOMAIN_EVENT_PMSUSPEND = 270;
    public static final int DOMAIN_SNAPSHOT_IS_CURRENT = 271;
    public static final int DOMAIN_SNAPSHOT_HAS_METADATA = 272;
    public static final int CONNECT_LIST_ALL_DOMAINS = 273;
    public static final int DOMAIN_LIST_ALL_SNAPSHOTS = 274;
    public static final int DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN = 275;
    public static final int DOMAIN_EVENT_BALLOON_CHANGE = 276;
    public static final int DOMAIN_GET_HOSTNAME = 277;
    public static final int DOMAIN_GET_SECURITY_LABEL_LIST = 278;
    public static final int DOMAIN_PIN_EMULATOR = 279;
    public static final int DOMAIN_GET_EMULATOR_PIN_INFO = 280;
    public static final int CONNECT_LIST_ALL_STORAGE_POOLS = 281;
    public static final int STORAGE_POOL_LIST_ALL_VOLUMES = 282;
    public static final int CONNECT_LIST_ALL_NETWORKS = 283;
    public static final int CONNECT_LIST_ALL_INTERFACES = 284;
    public static final int CONNECT_LIST_ALL_NODE_DEVICES = 285;
    public static final int CONNECT_LIST_ALL_NWFILTERS = 286;
    public static final int CONNECT_LIST_ALL_SECRETS = 287;
    public static final int NODE_SET_MEMORY_PARAMETERS = 288;
    public static final int NODE_GET_MEMORY_PARAMETERS = 289;
    public static final int DOMAIN_BLOCK_COMMIT = 290;
    public static final int NETWORK_UPDATE = 291;
    public static final int DOMAIN_EVENT_PMSUSPEND_DISK = 292;
    public static final int NODE_GET_CPU_MAP = 293;
    public static final int DOMAIN_FSTRIM = 294;
    public static final int DOMAIN_SEND_PROCESS_SIGNAL = 295;
    public static final int DOMAIN_OPEN_CHANNEL = 296;
    public static final int NODE_DEVICE_LOOKUP_SCSI_HOST_BY_WWN = 297;
    public static final int DOMAIN_GET_JOB_STATS = 298;
    public static final int DOMAIN_MIGRATE_GET_COMPRESSION_CACHE = 299;
    public static final int DOMAIN_MIGRATE_SET_COMPRESSION_CACHE = 300;
    public static final int NODE_DEVICE_DETACH_FLAGS = 301;
    public static final int DOMAIN_MIGRATE_BEGIN3_PARAMS = 302;
    public static final int DOMAIN_MIGRATE_PREPARE3_PARAMS = 303;
    public static final int DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS = 304;
    public static final int DOMAIN_MIGRATE_PERFORM3_PARAMS = 305;
    public static final int DOMAIN_MIGRATE_FINISH3_PARAMS = 306;
    public static final int DOMAIN_MIGRATE_CONFIRM3_PARAMS = 307;
    public static final int DOMAIN_SET_MEMORY_STATS_PERIOD = 308;
    public static final int DOMAIN_CREATE_XML_WITH_FILES = 309;
    public static final int DOMAIN_CREATE_WITH_FILES = 310;
    public static final int DOMAIN_EVENT_DEVICE_REMOVED = 311;
    public static final int CONNECT_GET_CPU_MODEL_NAMES = 312;
    public static final int CONNECT_NETWORK_EVENT_REGISTER_ANY = 313;
    public static final int CONNECT_NETWORK_EVENT_DEREGISTER_ANY = 314;
    public static final int NETWORK_EVENT_LIFECYCLE = 315;
    public static final int CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY = 316;
    public static final int CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY = 317;
    public static final int DOMAIN_EVENT_CALLBACK_LIFECYCLE = 318;
    public static final int DOMAIN_EVENT_CALLBACK_REBOOT = 319;
    public static final int DOMAIN_EVENT_CALLBACK_RTC_CHANGE = 320;
    public static final int DOMAIN_EVENT_CALLBACK_WATCHDOG = 321;
    public static final int DOMAIN_EVENT_CALLBACK_IO_ERROR = 322;
    public static final int DOMAIN_EVENT_CALLBACK_GRAPHICS = 323;
    public static final int DOMAIN_EVENT_CALLBACK_IO_ERROR_REASON = 324;
    public static final int DOMAIN_EVENT_CALLBACK_CONTROL_ERROR = 325;
    public static final int DOMAIN_EVENT_CALLBACK_BLOCK_JOB = 326;
    public static final int DOMAIN_EVENT_CALLBACK_DISK_CHANGE = 327;
    public static final int DOMAIN_EVENT_CALLBACK_TRAY_CHANGE = 328;
    public static final int DOMAIN_EVENT_CALLBACK_PMWAKEUP = 329;
    public static final int DOMAIN_EVENT_CALLBACK_PMSUSPEND = 330;
    public static final int DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE = 331;
    public static final int DOMAIN_EVENT_CALLBACK_PMSUSPEND_DISK = 332;
    public static final int DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED = 333;
    public static final int DOMAIN_CORE_DUMP_WITH_FORMAT = 334;
    public static final int DOMAIN_FSFREEZE = 335;
    public static final int DOMAIN_FSTHAW = 336;
    public static final int DOMAIN_GET_TIME = 337;
    public static final int DOMAIN_SET_TIME = 338;
    public static final int DOMAIN_EVENT_BLOCK_JOB_2 = 339;
    public static final int NODE_GET_FREE_PAGES = 340;
    public static final int NETWORK_GET_DHCP_LEASES = 341;
    public static final int CONNECT_GET_DOMAIN_CAPABILITIES = 342;
    public static final int DOMAIN_OPEN_GRAPHICS_FD = 343;
    public static final int CONNECT_GET_ALL_DOMAIN_STATS = 344;
    public static final int DOMAIN_BLOCK_COPY = 345;
    public static final int DOMAIN_EVENT_CALLBACK_TUNABLE = 346;
    public static final int NODE_ALLOC_PAGES = 347;
    public static final int DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE = 348;
    public static final int DOMAIN_GET_FSINFO = 349;
    public static final int DOMAIN_DEFINE_XML_FLAGS = 350;
    public static final int DOMAIN_GET_IOTHREAD_INFO = 351;
    public static final int DOMAIN_PIN_IOTHREAD = 352;
    public static final int DOMAIN_INTERFACE_ADDRESSES = 353;
    public static final int DOMAIN_EVENT_CALLBACK_DEVICE_ADDED = 354;
    public static final int DOMAIN_ADD_IOTHREAD = 355;
    public static final int DOMAIN_DEL_IOTHREAD = 356;
    public static final int DOMAIN_SET_USER_PASSWORD = 357;
    public static final int DOMAIN_RENAME = 358;
    public static final int DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION = 359;
    public static final int CONNECT_REGISTER_CLOSE_CALLBACK = 360;
    public static final int CONNECT_UNREGISTER_CLOSE_CALLBACK = 361;
    public static final int CONNECT_EVENT_CONNECTION_CLOSED = 362;
    public static final int DOMAIN_EVENT_CALLBACK_JOB_COMPLETED = 363;
    public static final int DOMAIN_MIGRATE_START_POST_COPY = 364;
    public static final int DOMAIN_GET_PERF_EVENTS = 365;
    public static final int DOMAIN_SET_PERF_EVENTS = 366;
    public static final int DOMAIN_EVENT_CALLBACK_DEVICE_REMOVAL_FAILED = 367;
    public static final int CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY = 368;
    public static final int CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY = 369;
    public static final int STORAGE_POOL_EVENT_LIFECYCLE = 370;
    public static final int DOMAIN_GET_GUEST_VCPUS = 371;
    public static final int DOMAIN_SET_GUEST_VCPUS = 372;
    public static final int STORAGE_POOL_EVENT_REFRESH = 373;
    public static final int CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY = 374;
    public static final int CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY = 375;
    public static final int NODE_DEVICE_EVENT_LIFECYCLE = 376;
    public static final int NODE_DEVICE_EVENT_UPDATE = 377;
    public static final int STORAGE_VOL_GET_INFO_FLAGS = 378;
    public static final int DOMAIN_EVENT_CALLBACK_METADATA_CHANGE = 379;
    public static final int CONNECT_SECRET_EVENT_REGISTER_ANY = 380;
    public static final int CONNECT_SECRET_EVENT_DEREGISTER_ANY = 381;
    public static final int SECRET_EVENT_LIFECYCLE = 382;
    public static final int SECRET_EVENT_VALUE_CHANGED = 383;
    public static final int DOMAIN_SET_VCPU = 384;
    public static final int DOMAIN_EVENT_BLOCK_THRESHOLD = 385;
    public static final int DOMAIN_SET_BLOCK_THRESHOLD = 386;
    public static final int DOMAIN_MIGRATE_GET_MAX_DOWNTIME = 387;
    public static final int DOMAIN_MANAGED_SAVE_GET_XML_DESC = 388;
    public static final int DOMAIN_MANAGED_SAVE_DEFINE_XML = 389;
    public static final int DOMAIN_SET_LIFECYCLE_ACTION = 390;
    public static final int STORAGE_POOL_LOOKUP_BY_TARGET_PATH = 391;
    public static final int DOMAIN_DETACH_DEVICE_ALIAS = 392;
    public static final int CONNECT_COMPARE_HYPERVISOR_CPU = 393;
    public static final int CONNECT_BASELINE_HYPERVISOR_CPU = 394;
    public static final int NODE_GET_SEV_INFO = 395;
    public static final int DOMAIN_GET_LAUNCH_SECURITY_INFO = 396;
    public static final int NWFILTER_BINDING_LOOKUP_BY_PORT_DEV = 397;
    public static final int NWFILTER_BINDING_GET_XML_DESC = 398;
    public static final int NWFILTER_BINDING_CREATE_XML = 399;
    public static final int NWFILTER_BINDING_DELETE = 400;
    public static final int CONNECT_LIST_ALL_NWFILTER_BINDINGS = 401;
    public static final int DOMAIN_SET_IOTHREAD_PARAMS = 402;
    public static final int CONNECT_GET_STORAGE_POOL_CAPABILITIES = 403;
    public static final int NETWORK_LIST_ALL_PORTS = 404;
    public static final int NETWORK_PORT_LOOKUP_BY_UUID = 405;
    public static final int NETWORK_PORT_CREATE_XML = 406;
    public static final int NETWORK_PORT_GET_PARAMETERS = 407;
    public static final int NETWORK_PORT_SET_PARAMETERS = 408;
    public static final int NETWORK_PORT_GET_XML_DESC = 409;
    public static final int NETWORK_PORT_DELETE = 410;
    public static final int DOMAIN_CHECKPOINT_CREATE_XML = 411;
    public static final int DOMAIN_CHECKPOINT_GET_XML_DESC = 412;
    public static final int DOMAIN_LIST_ALL_CHECKPOINTS = 413;
    public static final int DOMAIN_CHECKPOINT_LIST_ALL_CHILDREN = 414;
    public static final int DOMAIN_CHECKPOINT_LOOKUP_BY_NAME = 415;
    public static final int DOMAIN_CHECKPOINT_GET_PARENT = 416;
    public static final int DOMAIN_CHECKPOINT_DELETE = 417;
    public static final int DOMAIN_GET_GUEST_INFO = 418;
    public static final int CONNECT_SET_IDENTITY = 419;
    public static final int DOMAIN_AGENT_SET_RESPONSE_TIMEOUT = 420;
    public static final int DOMAIN_BACKUP_BEGIN = 421;
    public static final int DOMAIN_BACKUP_GET_XML_DESC = 422;
    public static final int DOMAIN_EVENT_MEMORY_FAILURE = 423;
    public static final int DOMAIN_AUTHORIZED_SSH_KEYS_GET = 424;
    public static final int DOMAIN_AUTHORIZED_SSH_KEYS_SET = 425;
    public static final int DOMAIN_GET_MESSAGES = 426;
    public static final int DOMAIN_START_DIRTY_RATE_CALC = 427;
    public static final int NODE_DEVICE_DEFINE_XML = 428;
    public static final int NODE_DEVICE_UNDEFINE = 429;
    public static final int NODE_DEVICE_CREATE = 430;
    public static final int NWFILTER_DEFINE_XML_FLAGS = 431;
    public static final int NETWORK_DEFINE_XML_FLAGS = 432;
    public static final int NODE_DEVICE_GET_AUTOSTART = 433;
    public static final int NODE_DEVICE_SET_AUTOSTART = 434;
    public static final int NODE_DEVICE_IS_PERSISTENT = 435;
    public static final int NODE_DEVICE_IS_ACTIVE = 436;
    public static final int NETWORK_CREATE_XML_FLAGS = 437;
    public static final int DOMAIN_EVENT_MEMORY_DEVICE_SIZE_CHANGE = 438;
    public static final int DOMAIN_SET_LAUNCH_SECURITY_STATE = 439;
    public static final int DOMAIN_SAVE_PARAMS = 440;
    public static final int DOMAIN_RESTORE_PARAMS = 441;
    public static final int DOMAIN_ABORT_JOB_FLAGS = 442;
    public static final int DOMAIN_FD_ASSOCIATE = 443;

    /** The highest number a libvirt 9.0 client knows. */
    public static final int LAST = 443;

    private static final String[] NAMES = {
        null,
        "CONNECT_OPEN",
        "CONNECT_CLOSE",
        "CONNECT_GET_TYPE",
        "CONNECT_GET_VERSION",
        "CONNECT_GET_MAX_VCPUS",
        "NODE_GET_INFO",
        "CONNECT_GET_CAPABILITIES",
        "DOMAIN_ATTACH_DEVICE",
        "DOMAIN_CREATE",
        "DOMAIN_CREATE_XML",
        "DOMAIN_DEFINE_XML",
        "DOMAIN_DESTROY",
        "DOMAIN_DETACH_DEVICE",
        "DOMAIN_GET_XML_DESC",
        "DOMAIN_GET_AUTOSTART",
        "DOMAIN_GET_INFO",
        "DOMAIN_GET_MAX_MEMORY",
        "DOMAIN_GET_MAX_VCPUS",
        "DOMAIN_GET_OS_TYPE",
        "DOMAIN_GET_VCPUS",
        "CONNECT_LIST_DEFINED_DOMAINS",
        "DOMAIN_LOOKUP_BY_ID",
        "DOMAIN_LOOKUP_BY_NAME",
        "DOMAIN_LOOKUP_BY_UUID",
        "CONNECT_NUM_OF_DEFINED_DOMAINS",
        "DOMAIN_PIN_VCPU",
        "DOMAIN_REBOOT",
        "DOMAIN_RESUME",
        "DOMAIN_SET_AUTOSTART",
        "DOMAIN_SET_MAX_MEMORY",
        "DOMAIN_SET_MEMORY",
        "DOMAIN_SET_VCPUS",
        "DOMAIN_SHUTDOWN",
        "DOMAIN_SUSPEND",
        "DOMAIN_UNDEFINE",
        "CONNECT_LIST_DEFINED_NETWORKS",
        "CONNECT_LIST_DOMAINS",
        "CONNECT_LIST_NETWORKS",
        "NETWORK_CREATE",
        "NETWORK_CREATE_XML",
        "NETWORK_DEFINE_XML",
        "NETWORK_DESTROY",
        "NETWORK_GET_XML_DESC",
        "NETWORK_GET_AUTOSTART",
        "NETWORK_GET_BRIDGE_NAME",
        "NETWORK_LOOKUP_BY_NAME",
        "NETWORK_LOOKUP_BY_UUID",
        "NETWORK_SET_AUTOSTART",
        "NETWORK_UNDEFINE",
        "CONNECT_NUM_OF_DEFINED_NETWORKS",
        "CONNECT_NUM_OF_DOMAINS",
        "CONNECT_NUM_OF_NETWORKS",
        "DOMAIN_CORE_DUMP",
        "DOMAIN_RESTORE",
        "DOMAIN_SAVE",
        "DOMAIN_GET_SCHEDULER_TYPE",
        "DOMAIN_GET_SCHEDULER_PARAMETERS",
        "DOMAIN_SET_SCHEDULER_PARAMETERS",
        "CONNECT_GET_HOSTNAME",
        "CONNECT_SUPPORTS_FEATURE",
        "DOMAIN_MIGRATE_PREPARE",
        "DOMAIN_MIGRATE_PERFORM",
        "DOMAIN_MIGRATE_FINISH",
        "DOMAIN_BLOCK_STATS",
        "DOMAIN_INTERFACE_STATS",
        "AUTH_LIST",
        "AUTH_SASL_INIT",
        "AUTH_SASL_START",
        "AUTH_SASL_STEP",
        "AUTH_POLKIT",
        "CONNECT_NUM_OF_STORAGE_POOLS",
        "CONNECT_LIST_STORAGE_POOLS",
        "CONNECT_NUM_OF_DEFINED_STORAGE_POOLS",
        "CONNECT_LIST_DEFINED_STORAGE_POOLS",
        "CONNECT_FIND_STORAGE_POOL_SOURCES",
        "STORAGE_POOL_CREATE_XML",
        "STORAGE_POOL_DEFINE_XML",
        "STORAGE_POOL_CREATE",
        "STORAGE_POOL_BUILD",
        "STORAGE_POOL_DESTROY",
        "STORAGE_POOL_DELETE",
        "STORAGE_POOL_UNDEFINE",
        "STORAGE_POOL_REFRESH",
        "STORAGE_POOL_LOOKUP_BY_NAME",
        "STORAGE_POOL_LOOKUP_BY_UUID",
        "STORAGE_POOL_LOOKUP_BY_VOLUME",
        "STORAGE_POOL_GET_INFO",
        "STORAGE_POOL_GET_XML_DESC",
        "STORAGE_POOL_GET_AUTOSTART",
        "STORAGE_POOL_SET_AUTOSTART",
        "STORAGE_POOL_NUM_OF_VOLUMES",
        "STORAGE_POOL_LIST_VOLUMES",
        "STORAGE_VOL_CREATE_XML",
        "STORAGE_VOL_DELETE",
        "STORAGE_VOL_LOOKUP_BY_NAME",
        "STORAGE_VOL_LOOKUP_BY_KEY",
        "STORAGE_VOL_LOOKUP_BY_PATH",
        "STORAGE_VOL_GET_INFO",
        "STORAGE_VOL_GET_XML_DESC",
        "STORAGE_VOL_GET_PATH",
        "NODE_GET_CELLS_FREE_MEMORY",
        "NODE_GET_FREE_MEMORY",
        "DOMAIN_BLOCK_PEEK",
        "DOMAIN_MEMORY_PEEK",
        "CONNECT_DOMAIN_EVENT_REGISTER",
        "CONNECT_DOMAIN_EVENT_DEREGISTER",
        "DOMAIN_EVENT_LIFECYCLE",
        "DOMAIN_MIGRATE_PREPARE2",
        "DOMAIN_MIGRATE_FINISH2",
        "CONNECT_GET_URI",
        "NODE_NUM_OF_DEVICES",
        "NODE_LIST_DEVICES",
        "NODE_DEVICE_LOOKUP_BY_NAME",
        "NODE_DEVICE_GET_XML_DESC",
        "NODE_DEVICE_GET_PARENT",
        "NODE_DEVICE_NUM_OF_CAPS",
        "NODE_DEVICE_LIST_CAPS",
        "NODE_DEVICE_DETTACH",
        "NODE_DEVICE_RE_ATTACH",
        "NODE_DEVICE_RESET",
        "DOMAIN_GET_SECURITY_LABEL",
        "NODE_GET_SECURITY_MODEL",
        "NODE_DEVICE_CREATE_XML",
        "NODE_DEVICE_DESTROY",
        "STORAGE_VOL_CREATE_XML_FROM",
        "CONNECT_NUM_OF_INTERFACES",
        "CONNECT_LIST_INTERFACES",
        "INTERFACE_LOOKUP_BY_NAME",
        "INTERFACE_LOOKUP_BY_MAC_STRING",
        "INTERFACE_GET_XML_DESC",
        "INTERFACE_DEFINE_XML",
        "INTERFACE_UNDEFINE",
        "INTERFACE_CREATE",
        "INTERFACE_DESTROY",
        "CONNECT_DOMAIN_XML_FROM_NATIVE",
        "CONNECT_DOMAIN_XML_TO_NATIVE",
        "CONNECT_NUM_OF_DEFINED_INTERFACES",
        "CONNECT_LIST_DEFINED_INTERFACES",
        "CONNECT_NUM_OF_SECRETS",
        "CONNECT_LIST_SECRETS",
        "SECRET_LOOKUP_BY_UUID",
        "SECRET_DEFINE_XML",
        "SECRET_GET_XML_DESC",
        "SECRET_SET_VALUE",
        "SECRET_GET_VALUE",
        "SECRET_UNDEFINE",
        "SECRET_LOOKUP_BY_USAGE",
        "DOMAIN_MIGRATE_PREPARE_TUNNEL",
        "CONNECT_IS_SECURE",
        "DOMAIN_IS_ACTIVE",
        "DOMAIN_IS_PERSISTENT",
        "NETWORK_IS_ACTIVE",
        "NETWORK_IS_PERSISTENT",
        "STORAGE_POOL_IS_ACTIVE",
        "STORAGE_POOL_IS_PERSISTENT",
        "INTERFACE_IS_ACTIVE",
        "CONNECT_GET_LIB_VERSION",
        "CONNECT_COMPARE_CPU",
        "DOMAIN_MEMORY_STATS",
        "DOMAIN_ATTACH_DEVICE_FLAGS",
        "DOMAIN_DETACH_DEVICE_FLAGS",
        "CONNECT_BASELINE_CPU",
        "DOMAIN_GET_JOB_INFO",
        "DOMAIN_ABORT_JOB",
        "STORAGE_VOL_WIPE",
        "DOMAIN_MIGRATE_SET_MAX_DOWNTIME",
        "CONNECT_DOMAIN_EVENT_REGISTER_ANY",
        "CONNECT_DOMAIN_EVENT_DEREGISTER_ANY",
        "DOMAIN_EVENT_REBOOT",
        "DOMAIN_EVENT_RTC_CHANGE",
        "DOMAIN_EVENT_WATCHDOG",
        "DOMAIN_EVENT_IO_ERROR",
        "DOMAIN_EVENT_GRAPHICS",
        "DOMAIN_UPDATE_DEVICE_FLAGS",
        "NWFILTER_LOOKUP_BY_NAME",
        "NWFILTER_LOOKUP_BY_UUID",
        "NWFILTER_GET_XML_DESC",
        "CONNECT_NUM_OF_NWFILTERS",
        "CONNECT_LIST_NWFILTERS",
        "NWFILTER_DEFINE_XML",
        "NWFILTER_UNDEFINE",
        "DOMAIN_MANAGED_SAVE",
        "DOMAIN_HAS_MANAGED_SAVE_IMAGE",
        "DOMAIN_MANAGED_SAVE_REMOVE",
        "DOMAIN_SNAPSHOT_CREATE_XML",
        "DOMAIN_SNAPSHOT_GET_XML_DESC",
        "DOMAIN_SNAPSHOT_NUM",
        "DOMAIN_SNAPSHOT_LIST_NAMES",
        "DOMAIN_SNAPSHOT_LOOKUP_BY_NAME",
        "DOMAIN_HAS_CURRENT_SNAPSHOT",
        "DOMAIN_SNAPSHOT_CURRENT",
        "DOMAIN_REVERT_TO_SNAPSHOT",
        "DOMAIN_SNAPSHOT_DELETE",
        "DOMAIN_GET_BLOCK_INFO",
        "DOMAIN_EVENT_IO_ERROR_REASON",
        "DOMAIN_CREATE_WITH_FLAGS",
        "DOMAIN_SET_MEMORY_PARAMETERS",
        "DOMAIN_GET_MEMORY_PARAMETERS",
        "DOMAIN_SET_VCPUS_FLAGS",
        "DOMAIN_GET_VCPUS_FLAGS",
        "DOMAIN_OPEN_CONSOLE",
        "DOMAIN_IS_UPDATED",
        "CONNECT_GET_SYSINFO",
        "DOMAIN_SET_MEMORY_FLAGS",
        "DOMAIN_SET_BLKIO_PARAMETERS",
        "DOMAIN_GET_BLKIO_PARAMETERS",
        "DOMAIN_MIGRATE_SET_MAX_SPEED",
        "STORAGE_VOL_UPLOAD",
        "STORAGE_VOL_DOWNLOAD",
        "DOMAIN_INJECT_NMI",
        "DOMAIN_SCREENSHOT",
        "DOMAIN_GET_STATE",
        "DOMAIN_MIGRATE_BEGIN3",
        "DOMAIN_MIGRATE_PREPARE3",
        "DOMAIN_MIGRATE_PREPARE_TUNNEL3",
        "DOMAIN_MIGRATE_PERFORM3",
        "DOMAIN_MIGRATE_FINISH3",
        "DOMAIN_MIGRATE_CONFIRM3",
        "DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS",
        "INTERFACE_CHANGE_BEGIN",
        "INTERFACE_CHANGE_COMMIT",
        "INTERFACE_CHANGE_ROLLBACK",
        "DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS",
        "DOMAIN_EVENT_CONTROL_ERROR",
        "DOMAIN_PIN_VCPU_FLAGS",
        "DOMAIN_SEND_KEY",
        "NODE_GET_CPU_STATS",
        "NODE_GET_MEMORY_STATS",
        "DOMAIN_GET_CONTROL_INFO",
        "DOMAIN_GET_VCPU_PIN_INFO",
        "DOMAIN_UNDEFINE_FLAGS",
        "DOMAIN_SAVE_FLAGS",
        "DOMAIN_RESTORE_FLAGS",
        "DOMAIN_DESTROY_FLAGS",
        "DOMAIN_SAVE_IMAGE_GET_XML_DESC",
        "DOMAIN_SAVE_IMAGE_DEFINE_XML",
        "DOMAIN_BLOCK_JOB_ABORT",
        "DOMAIN_GET_BLOCK_JOB_INFO",
        "DOMAIN_BLOCK_JOB_SET_SPEED",
        "DOMAIN_BLOCK_PULL",
        "DOMAIN_EVENT_BLOCK_JOB",
        "DOMAIN_MIGRATE_GET_MAX_SPEED",
        "DOMAIN_BLOCK_STATS_FLAGS",
        "DOMAIN_SNAPSHOT_GET_PARENT",
        "DOMAIN_RESET",
        "DOMAIN_SNAPSHOT_NUM_CHILDREN",
        "DOMAIN_SNAPSHOT_LIST_CHILDREN_NAMES",
        "DOMAIN_EVENT_DISK_CHANGE",
        "DOMAIN_OPEN_GRAPHICS",
        "NODE_SUSPEND_FOR_DURATION",
        "DOMAIN_BLOCK_RESIZE",
        "DOMAIN_SET_BLOCK_IO_TUNE",
        "DOMAIN_GET_BLOCK_IO_TUNE",
        "DOMAIN_SET_NUMA_PARAMETERS",
        "DOMAIN_GET_NUMA_PARAMETERS",
        "DOMAIN_SET_INTERFACE_PARAMETERS",
        "DOMAIN_GET_INTERFACE_PARAMETERS",
        "DOMAIN_SHUTDOWN_FLAGS",
        "STORAGE_VOL_WIPE_PATTERN",
        "STORAGE_VOL_RESIZE",
        "DOMAIN_PM_SUSPEND_FOR_DURATION",
        "DOMAIN_GET_CPU_STATS",
        "DOMAIN_GET_DISK_ERRORS",
        "DOMAIN_SET_METADATA",
        "DOMAIN_GET_METADATA",
        "DOMAIN_BLOCK_REBASE",
        "DOMAIN_PM_WAKEUP",
        "DOMAIN_EVENT_TRAY_CHANGE",
        "DOMAIN_EVENT_PMWAKEUP",
        "DOMAIN_EVENT_PMSUSPEND",
        "DOMAIN_SNAPSHOT_IS_CURRENT",
        "DOMAIN_SNAPSHOT_HAS_METADATA",
        "CONNECT_LIST_ALL_DOMAINS",
        "DOMAIN_LIST_ALL_SNAPSHOTS",
        "DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN",
        "DOMAIN_EVENT_BALLOON_CHANGE",
        "DOMAIN_GET_HOSTNAME",
        "DOMAIN_GET_SECURITY_LABEL_LIST",
        "DOMAIN_PIN_EMULATOR",
        "DOMAIN_GET_EMULATOR_PIN_INFO",
        "CONNECT_LIST_ALL_STORAGE_POOLS",
        "STORAGE_POOL_LIST_ALL_VOLUMES",
        "CONNECT_LIST_ALL_NETWORKS",
        "CONNECT_LIST_ALL_INTERFACES",
        "CONNECT_LIST_ALL_NODE_DEVICES",
        "CONNECT_LIST_ALL_NWFILTERS",
        "CONNECT_LIST_ALL_SECRETS",
        "NODE_SET_MEMORY_PARAMETERS",
        "NODE_GET_MEMORY_PARAMETERS",
        "DOMAIN_BLOCK_COMMIT",
        "NETWORK_UPDATE",
        "DOMAIN_EVENT_PMSUSPEND_DISK",
        "NODE_GET_CPU_MAP",
        "DOMAIN_FSTRIM",
        "DOMAIN_SEND_PROCESS_SIGNAL",
        "DOMAIN_OPEN_CHANNEL",
        "NODE_DEVICE_LOOKUP_SCSI_HOST_BY_WWN",
        "DOMAIN_GET_JOB_STATS",
        "DOMAIN_MIGRATE_GET_COMPRESSION_CACHE",
        "DOMAIN_MIGRATE_SET_COMPRESSION_CACHE",
        "NODE_DEVICE_DETACH_FLAGS",
        "DOMAIN_MIGRATE_BEGIN3_PARAMS",
        "DOMAIN_MIGRATE_PREPARE3_PARAMS",
        "DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS",
        "DOMAIN_MIGRATE_PERFORM3_PARAMS",
        "DOMAIN_MIGRATE_FINISH3_PARAMS",
        "DOMAIN_MIGRATE_CONFIRM3_PARAMS",
        "DOMAIN_SET_MEMORY_STATS_PERIOD",
        "DOMAIN_CREATE_XML_WITH_FILES",
        "DOMAIN_CREATE_WITH_FILES",
        "DOMAIN_EVENT_DEVICE_REMOVED",
        "CONNECT_GET_CPU_MODEL_NAMES",
        "CONNECT_NETWORK_EVENT_REGISTER_ANY",
        "CONNECT_NETWORK_EVENT_DEREGISTER_ANY",
        "NETWORK_EVENT_LIFECYCLE",
        "CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY",
        "CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY",
        "DOMAIN_EVENT_CALLBACK_LIFECYCLE",
        "DOMAIN_EVENT_CALLBACK_REBOOT",
        "DOMAIN_EVENT_CALLBACK_RTC_CHANGE",
        "DOMAIN_EVENT_CALLBACK_WATCHDOG",
        "DOMAIN_EVENT_CALLBACK_IO_ERROR",
        "DOMAIN_EVENT_CALLBACK_GRAPHICS",
        "DOMAIN_EVENT_CALLBACK_IO_ERROR_REASON",
        "DOMAIN_EVENT_CALLBACK_CONTROL_ERROR",
        "DOMAIN_EVENT_CALLBACK_BLOCK_JOB",
        "DOMAIN_EVENT_CALLBACK_DISK_CHANGE",
        "DOMAIN_EVENT_CALLBACK_TRAY_CHANGE",
        "DOMAIN_EVENT_CALLBACK_PMWAKEUP",
        "DOMAIN_EVENT_CALLBACK_PMSUSPEND",
        "DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE",
        "DOMAIN_EVENT_CALLBACK_PMSUSPEND_DISK",
        "DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED",
        "DOMAIN_CORE_DUMP_WITH_FORMAT",
        "DOMAIN_FSFREEZE",
        "DOMAIN_FSTHAW",
        "DOMAIN_GET_TIME",
        "DOMAIN_SET_TIME",
        "DOMAIN_EVENT_BLOCK_JOB_2",
        "NODE_GET_FREE_PAGES",
        "NETWORK_GET_DHCP_LEASES",
        "CONNECT_GET_DOMAIN_CAPABILITIES",
        "DOMAIN_OPEN_GRAPHICS_FD",
        "CONNECT_GET_ALL_DOMAIN_STATS",
        "DOMAIN_BLOCK_COPY",
        "DOMAIN_EVENT_CALLBACK_TUNABLE",
        "NODE_ALLOC_PAGES",
        "DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE",
        "DOMAIN_GET_FSINFO",
        "DOMAIN_DEFINE_XML_FLAGS",
        "DOMAIN_GET_IOTHREAD_INFO",
        "DOMAIN_PIN_IOTHREAD",
        "DOMAIN_INTERFACE_ADDRESSES",
        "DOMAIN_EVENT_CALLBACK_DEVICE_ADDED",
        "DOMAIN_ADD_IOTHREAD",
        "DOMAIN_DEL_IOTHREAD",
        "DOMAIN_SET_USER_PASSWORD",
        "DOMAIN_RENAME",
        "DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION",
        "CONNECT_REGISTER_CLOSE_CALLBACK",
        "CONNECT_UNREGISTER_CLOSE_CALLBACK",
        "CONNECT_EVENT_CONNECTION_CLOSED",
        "DOMAIN_EVENT_CALLBACK_JOB_COMPLETED",
        "DOMAIN_MIGRATE_START_POST_COPY",
        "DOMAIN_GET_PERF_EVENTS",
        "DOMAIN_SET_PERF_EVENTS",
        "DOMAIN_EVENT_CALLBACK_DEVICE_REMOVAL_FAILED",
        "CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY",
        "CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY",
        "STORAGE_POOL_EVENT_LIFECYCLE",
        "DOMAIN_GET_GUEST_VCPUS",
        "DOMAIN_SET_GUEST_VCPUS",
        "STORAGE_POOL_EVENT_REFRESH",
        "CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY",
        "CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY",
        "NODE_DEVICE_EVENT_LIFECYCLE",
        "NODE_DEVICE_EVENT_UPDATE",
        "STORAGE_VOL_GET_INFO_FLAGS",
        "DOMAIN_EVENT_CALLBACK_METADATA_CHANGE",
        "CONNECT_SECRET_EVENT_REGISTER_ANY",
        "CONNECT_SECRET_EVENT_DEREGISTER_ANY",
        "SECRET_EVENT_LIFECYCLE",
        "SECRET_EVENT_VALUE_CHANGED",
        "DOMAIN_SET_VCPU",
        "DOMAIN_EVENT_BLOCK_THRESHOLD",
        "DOMAIN_SET_BLOCK_THRESHOLD",
        "DOMAIN_MIGRATE_GET_MAX_DOWNTIME",
        "DOMAIN_MANAGED_SAVE_GET_XML_DESC",
        "DOMAIN_MANAGED_SAVE_DEFINE_XML",
        "DOMAIN_SET_LIFECYCLE_ACTION",
        "STORAGE_POOL_LOOKUP_BY_TARGET_PATH",
        "DOMAIN_DETACH_DEVICE_ALIAS",
        "CONNECT_COMPARE_HYPERVISOR_CPU",
        "CONNECT_BASELINE_HYPERVISOR_CPU",
        "NODE_GET_SEV_INFO",
        "DOMAIN_GET_LAUNCH_SECURITY_INFO",
        "NWFILTER_BINDING_LOOKUP_BY_PORT_DEV",
        "NWFILTER_BINDING_GET_XML_DESC",
        "NWFILTER_BINDING_CREATE_XML",
        "NWFILTER_BINDING_DELETE",
        "CONNECT_LIST_ALL_NWFILTER_BINDINGS",
        "DOMAIN_SET_IOTHREAD_PARAMS",
        "CONNECT_GET_STORAGE_POOL_CAPABILITIES",
        "NETWORK_LIST_ALL_PORTS",
        "NETWORK_PORT_LOOKUP_BY_UUID",
        "NETWORK_PORT_CREATE_XML",
        "NETWORK_PORT_GET_PARAMETERS",
        "NETWORK_PORT_SET_PARAMETERS",
        "NETWORK_PORT_GET_XML_DESC",
        "NETWORK_PORT_DELETE",
        "DOMAIN_CHECKPOINT_CREATE_XML",
        "DOMAIN_CHECKPOINT_GET_XML_DESC",
        "DOMAIN_LIST_ALL_CHECKPOINTS",
        "DOMAIN_CHECKPOINT_LIST_ALL_CHILDREN",
        "DOMAIN_CHECKPOINT_LOOKUP_BY_NAME",
        "DOMAIN_CHECKPOINT_GET_PARENT",
        "DOMAIN_CHECKPOINT_DELETE",
        "DOMAIN_GET_GUEST_INFO",
        "CONNECT_SET_IDENTITY",
        "DOMAIN_AGENT_SET_RESPONSE_TIMEOUT",
        "DOMAIN_BACKUP_BEGIN",
        "DOMAIN_BACKUP_GET_XML_DESC",
        "DOMAIN_EVENT_MEMORY_FAILURE",
        "DOMAIN_AUTHORIZED_SSH_KEYS_GET",
        "DOMAIN_AUTHORIZED_SSH_KEYS_SET",
        "DOMAIN_GET_MESSAGES",
        "DOMAIN_START_DIRTY_RATE_CALC",
        "NODE_DEVICE_DEFINE_XML",
        "NODE_DEVICE_UNDEFINE",
        "NODE_DEVICE_CREATE",
        "NWFILTER_DEFINE_XML_FLAGS",
        "NETWORK_DEFINE_XML_FLAGS",
        "NODE_DEVICE_GET_AUTOSTART",
        "NODE_DEVICE_SET_AUTOSTART",
        "NODE_DEVICE_IS_PERSISTENT",
        "NODE_DEVICE_IS_ACTIVE",
        "NETWORK_CREATE_XML_FLAGS",
        "DOMAIN_EVENT_MEMORY_DEVICE_SIZE_CHANGE",
        "DOMAIN_SET_LAUNCH_SECURITY_STATE",
        "DOMAIN_SAVE_PARAMS",
        "DOMAIN_RESTORE_PARAMS",
        "DOMAIN_ABORT_JOB_FLAGS",
        "DOMAIN_FD_ASSOCIATE",
    };

    /** The procedure's name (REMOTE_PROC_ omitted), or null for a number libvirt 9.0 does not have. */
    public static String name(int proc) {
        return proc > 0 && proc < NAMES.length ? NAMES[proc] : null;
    }
}
