#!/usr/bin/python3
# The reference scenario through libvirt-python (what virt-install, virt-manager and Nova use):
# prints one line per step, values or the libvirt error; run against jvirtd and the real
# libvirtd serving the same mock driver, the two outputs must be equal.
import sys
import threading
import libvirt

uri = sys.argv[1]
XML = """<domain type='test'><name>pyref</name><uuid>5aa1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b</uuid>
<memory unit='MiB'>256</memory><currentMemory unit='MiB'>128</currentMemory><vcpu>2</vcpu>
<os><type arch='x86_64'>hvm</type></os></domain>"""

libvirt.registerErrorHandler(lambda ctx, err: None, None)
libvirt.virEventRegisterDefaultImpl()
threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)], daemon=True).start()
conn = libvirt.open(uri)
events = []
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                            lambda c, d, ev, detail, opaque: events.append((d.name(), ev, detail)), None)


def step(name, fn):
    try:
        print(f"{name}: {fn()}")
    except libvirt.libvirtError as e:
        print(f"{name}: error {e.get_error_code()} {e.get_error_domain()} {e.get_error_message()}")


def info(name):
    return conn.lookupByName(name).info()[:4]


step("type", conn.getType)
step("list", lambda: sorted((d.name(), d.ID(), d.isActive()) for d in conn.listAllDomains()))
step("nodeinfo", lambda: conn.getInfo()[:2])
step("info test", lambda: info("test"))
step("state test", lambda: conn.lookupByName("test").state())
step("missing", lambda: info("nosuch"))
step("define", lambda: conn.defineXML(XML).name())
step("create", lambda: conn.lookupByName("pyref").create())
step("info pyref", lambda: info("pyref"))
step("create again", lambda: conn.lookupByName("pyref").create())
step("suspend", lambda: conn.lookupByName("pyref").suspend())
step("state paused", lambda: conn.lookupByName("pyref").state())
step("resume", lambda: conn.lookupByName("pyref").resume())
step("snapshot", lambda: conn.lookupByName("pyref").snapshotCreateXML("<domainsnapshot><name>p1</name></domainsnapshot>").getName())
step("snapshots", lambda: conn.lookupByName("pyref").snapshotListNames())
step("setmem", lambda: conn.lookupByName("pyref").setMemory(65536))
step("maxmem", lambda: conn.lookupByName("pyref").maxMemory())
step("destroy", lambda: conn.lookupByName("pyref").destroy())
step("undefine running-less", lambda: conn.lookupByName("pyref").undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA))
step("list after", lambda: sorted(d.name() for d in conn.listAllDomains()))
import time
deadline = time.time() + 5
while time.time() < deadline and len([e for e in events if e[0] == "pyref"]) < 6:
    time.sleep(0.05)
print("events:", [e for e in events if e[0] == "pyref"])
conn.close()
