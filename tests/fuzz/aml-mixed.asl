DefinitionBlock ("", "SSDT", 1, "FXBR", "FUZZ", 1)
{
    External (\_SB.PCI0.S90, DeviceObj)
    Scope (\_SB)
    {
        OperationRegion (PCST, SystemIO, 0xAE00, 0x08)
        Field (PCST, DWordAcc, NoLock, WriteAsZeros) { PCIU, 32, PCID, 32 }
        Mutex (BLCK, 0)
        Event (EVT0)
        Name (BUF0, Buffer (4) { 1, 2, 3, 4 })
        CreateDWordField (BUF0, 0, BDW0)
        Method (PCNT, 0, NotSerialized) { Acquire (BLCK, 0xFFFF) Release (BLCK) }
        Alias (BUF0, BUFA)
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Name (_CID, Package () { "PRP0001", EisaId ("PNP0A03") })
            Device (S88)
            {
                Name (_ADR, 0x00110000)
                Name (_DSD, Package ()
                {
                    ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                    Package () {
                        Package () { "compatible", Package () { "x", "linux,pci-fixedbar" } },
                        Package () { "fixed-bars", Package () { "bar2@0x1ffff000000", "bar4@0x2000000000" } } },
                    ToUUID ("dbb8e3e6-5886-4ba6-8795-1319f52a966b"),
                    Package () { Package () { "other", "x" } }
                })
            }
        }
        If (One) { Name (INIF, One) }
        Device (FXBR)
        {
            Name (_HID, "PRP0001")
            Name (_DSD, Package () { ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () { Package () { "compatible", "linux,pci-fixedbar" },
                    Package () { "fixed-bars", "0000:00:10.0/00.0=bar0@0x1000;00:11.0=bar2@0x8000000000" } } })
        }
    }
    Scope (\_SB.PCI0.S90) { Name (_DSD, Package () { ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
        Package () { Package () { "fixed-bars", "bar0@0x1000" } } }) }
}
