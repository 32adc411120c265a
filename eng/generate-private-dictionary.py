#!/usr/bin/env python3
"""Generates the compact private data dictionary of ImagingRepo.Dicom.

Usage: python3 eng/generate-private-dictionary.py <private.dic> [<output-folder>]

<private.dic> is dcmtk's private tag dictionary (e.g. /usr/share/libdcmtk17/private.dic, BSD licence): one
entry a line, tab-separated Tag, VR, Name, VM, Version; tags as (gggg,"CREATOR",ee) for an element byte
within any block the creator reserves, (gggg,"CREATOR",eeee) for a fixed element number (block eeee>>8), and
(gggg-o-gggg,"CREATOR",ee) for the odd groups of a range. Only these facts are taken; syntax the file does
not use (element ranges, even-group ranges) stops the generator rather than being guessed at.

The output is C# source with the facts packed into primitive spans (RVA data, no start-up cost) and one string
pool each, written to src/ImagingRepo.Dicom/DataDictionary/DicomPrivateDictionary.Generated.cs unless another
folder is given. Re-run it when a new dcmtk dictionary is pulled in and commit the result.
"""
import os
import re
import sys

VRS = ["AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL",
       "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US",
       "UT", "UV"]

# dcmtk's internal VR names: "ox" is "OB or OW" and "px" pixel data (OB or OW); both read as OW in implicit VR
# (PS3.5 A.1), which is what the dictionary VR is used for.
DCMTK_VRS = {"ox": "OW", "px": "OW"}

TAG = re.compile(r'^\((?P<g1>[0-9A-Fa-f]{4})(?:-(?P<odd>o)-(?P<g2>[0-9A-Fa-f]{4}))?,"(?P<creator>[^"]*)",'
                 r'(?P<element>[0-9A-Fa-f]{2}|[0-9A-Fa-f]{4})\)$')


def vr_code(vr):
    vr = DCMTK_VRS.get(vr, vr)
    if vr not in VRS:
        raise SystemExit(f"unknown VR {vr!r}")
    return (ord(vr[0]) << 8) | ord(vr[1])


def escape(text):
    return text.replace("\\", "\\\\").replace("\"", "\\\"")


def pool_literal(text):
    return escape(text).replace(chr(10), chr(92) + "n").replace(chr(9), chr(92) + "t")


def chunks(values, per_line, fmt):
    lines = []
    for i in range(0, len(values), per_line):
        lines.append("        " + ", ".join(fmt(v) for v in values[i:i + per_line]) + ",")
    return "\n".join(lines)


def read_entries(path):
    """Yields (first group, last group, creator, block, element byte, VR code, name, VM); later lines override."""
    entries = {}
    with open(path, encoding="latin-1") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) < 4:
                raise SystemExit(f"{path}:{number}: expected Tag, VR, Name, VM: {line!r}")
            match = TAG.match(fields[0].strip())
            if match is None:
                raise SystemExit(f"{path}:{number}: tag syntax this generator does not handle: {fields[0]!r}")
            first = int(match["g1"], 16)
            last = int(match["g2"], 16) if match["g2"] else first
            if match["g2"] and not match["odd"]:
                raise SystemExit(f"{path}:{number}: group range without -o-: {fields[0]!r}")
            if first % 2 == 0 or last % 2 == 0:
                raise SystemExit(f"{path}:{number}: a private group must be odd: {fields[0]!r}")
            element = int(match["element"], 16)
            # (gggg,"C",ee): any block the creator reserves; (gggg,"C",eeee): only block eeee>>8.
            block = element >> 8 if len(match["element"]) == 4 else 0
            if len(match["element"]) == 4 and block < 0x10:
                raise SystemExit(f"{path}:{number}: a fixed private element must be 1000 or above: {fields[0]!r}")
            creator = match["creator"].strip()
            if not creator or any(ord(c) > 0x7E or ord(c) < 0x20 for c in creator):
                raise SystemExit(f"{path}:{number}: the creator must be printable ASCII: {creator!r}")
            key = (first, last, creator, block, element & 0xFF)
            entries[key] = (vr_code(fields[1].strip()), fields[2].strip(), fields[3].strip())
    return [key + value for key, value in entries.items()]


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    source = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "src", "ImagingRepo.Dicom", "DataDictionary")

    entries = read_entries(source)
    creators = sorted({e[2] for e in entries}, key=lambda c: c.encode("ascii"))
    if len(creators) > 0xFFFF:
        raise SystemExit("too many creators for a 16-bit index")
    creator_index = {c: i for i, c in enumerate(creators)}

    def key_of(e):
        return (creator_index[e[2]] << 32) | (e[0] << 16) | (e[3] << 8) | e[4]

    exact = sorted((e for e in entries if e[0] == e[1]), key=key_of)
    ranges = sorted((e for e in entries if e[0] != e[1]), key=lambda e: (creator_index[e[2]], e[0], e[3], e[4]))
    ordered = exact + ranges

    creator_offsets = []
    position = 0
    for c in creators:
        creator_offsets.append(position)
        position += len(c) + 1
    creator_text = "\n".join(creators) + "\n"

    pool = []
    offsets = []
    position = 0
    for e in ordered:
        text = f"{e[6]}\t{e[7]}"
        offsets.append(position)
        pool.append(text)
        position += len(text) + 1
    pool_text = "\n".join(pool) + "\n"

    path = os.path.join(out, "DicomPrivateDictionary.Generated.cs")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("// <auto-generated>\n// Generated by eng/generate-private-dictionary.py from the facts of dcmtk's private.dic "
                "(BSD licence, OFFIS e.V.). Do not edit.\n// </auto-generated>\n")
        f.write("namespace ImagingRepo.Dicom.DataDictionary;\n\n")
        f.write("internal static class DicomPrivateDictionaryData\n{\n")
        f.write(f"    public const int CreatorCount = {len(creators)};\n\n")
        f.write(f"    public const int ExactCount = {len(exact)};\n\n")
        f.write(f"    public const int RangeCount = {len(ranges)};\n\n")
        f.write("    /// <summary>The private creators in ordinal (ASCII) order, one a line.</summary>\n")
        f.write(f"    public const string Creators = \"{pool_literal(creator_text)}\";\n\n")
        f.write("    /// <summary>Where each creator starts in <see cref=\"Creators\"/>.</summary>\n")
        f.write("    public static ReadOnlySpan<int> CreatorOffsets =>\n    [\n")
        f.write(chunks(creator_offsets, 12, str))
        f.write("\n    ];\n\n")
        f.write("    /// <summary>Exact entries sorted ascending: creator index &lt;&lt; 32 | group &lt;&lt; 16 | block &lt;&lt; 8 | element byte "
                "(block 0: any block the creator reserves).</summary>\n")
        f.write("    public static ReadOnlySpan<ulong> Keys =>\n    [\n")
        f.write(chunks([key_of(e) for e in exact], 6, lambda v: f"0x{v:012X}"))
        f.write("\n    ];\n\n")
        f.write("    /// <summary>Entries over a range of odd groups (after the exact ones): creator index.</summary>\n")
        f.write("    public static ReadOnlySpan<ushort> RangeCreators =>\n    [\n")
        f.write(chunks([creator_index[e[2]] for e in ranges], 16, str))
        f.write("\n    ];\n\n")
        f.write("    /// <summary>First group, last group of each range entry (odd groups only).</summary>\n")
        f.write("    public static ReadOnlySpan<ushort> RangeGroups =>\n    [\n")
        f.write(chunks([g for e in ranges for g in (e[0], e[1])], 16, lambda v: f"0x{v:04X}"))
        f.write("\n    ];\n\n")
        f.write("    /// <summary>Block &lt;&lt; 8 | element byte of each range entry.</summary>\n")
        f.write("    public static ReadOnlySpan<ushort> RangeElements =>\n    [\n")
        f.write(chunks([(e[3] << 8) | e[4] for e in ranges], 16, lambda v: f"0x{v:04X}"))
        f.write("\n    ];\n\n")
        f.write("    /// <summary>The VR of each entry, exact ones first.</summary>\n")
        f.write("    public static ReadOnlySpan<ushort> Vrs =>\n    [\n")
        f.write(chunks([e[5] for e in ordered], 16, lambda v: f"0x{v:04X}"))
        f.write("\n    ];\n\n")
        f.write("    public static ReadOnlySpan<int> PoolOffsets =>\n    [\n")
        f.write(chunks(offsets, 12, str))
        f.write("\n    ];\n\n")
        f.write("    /// <summary>name TAB VM, one entry per line.</summary>\n")
        f.write(f"    public const string Pool = \"{pool_literal(pool_text)}\";\n")
        f.write("}\n")
    print(f"{len(creators)} creators, {len(exact)} exact entries, {len(ranges)} range entries written to {path}")


if __name__ == "__main__":
    main()
