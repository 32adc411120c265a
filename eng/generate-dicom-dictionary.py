#!/usr/bin/env python3
"""Generates the compact DICOM data dictionary, the keyword constants and the UID registry of ImagingRepo.Dicom.

Usage: python3 eng/generate-dicom-dictionary.py <standard-folder> [<output-folder>]

<standard-folder> holds the PS3.6 facts as tables (pydicom_data_dictionary.tsv,
pydicom_repeaters_dictionary.tsv, pydicom_uid_registry.tsv). The output is C# source with the
facts packed into primitive spans (RVA data, no start-up cost) and one string pool each, written to
src/ImagingRepo.Dicom/ (the keyword constants) and its DataDictionary/ folder (the tables) unless another folder is given. Re-run it when a new edition of the
standard is pulled in and commit the result.

DicomTags.Generated.cs holds one DicomTags member per keyword of a non-retired attribute; a repeating-group
attribute (60xx,3000 Overlay Data) is named by its first group (6000,3000), as PS3.6 lists it;
DicomTagValues.Generated.cs holds the same tags as internal uint constants for switch statements and patterns.
"""
import csv
import os
import sys

VRS = ["AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL",
       "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US",
       "UT", "UV"]


def vr_code(vr):
    vr = vr.strip()
    if vr in ("", "NONE"):
        return 0
    if vr not in VRS:
        raise SystemExit(f"unknown VR {vr!r}")
    return (ord(vr[0]) << 8) | ord(vr[1])


def parse_vrs(text):
    parts = [p.strip() for p in text.split(" or ")]
    codes = [vr_code(p) for p in parts]
    return codes + [0] * (3 - len(codes))


def parse_tag(text):
    text = text.strip().strip("()")
    group, element = text.split(",")
    return group.strip(), element.strip()


def mask_of(group, element):
    digits = group + element
    value = 0
    mask = 0
    for ch in digits:
        value <<= 4
        mask <<= 4
        if ch.lower() == "x":
            continue
        value |= int(ch, 16)
        mask |= 0xF
    return value, mask


def escape(text):
    return text.replace("\\", "\\\\").replace("\"", "\\\"")


def xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def tag_text(value):
    return f"({value >> 16:04X},{value & 0xFFFF:04X})"


def repeating_text(value, mask):
    """(60xx,3000): the masked-out hex digits shown as x."""
    digits = f"{value:08X}"
    shown = "".join("x" if (mask >> (28 - 4 * i)) & 0xF == 0 else d for i, d in enumerate(digits))
    return f"({shown[:4]},{shown[4:]})"


def write_keywords(out, header, exact, masked):
    """Writes DicomTags (public, one property per keyword) and DicomTagValues (internal constants)."""
    current = [e for e in exact if not e[6] and e[4]]
    current += [(e[0], e[1], e[2], e[3], e[4], e[5] + ", the first group of " + repeating_text(e[0], e[1]), e[6])
                for e in masked if not e[6] and e[4]]
    current.sort(key=lambda e: e[0])
    with open(os.path.join(out, "DicomTags.Generated.cs"), "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.write("namespace ImagingRepo.Dicom;\n\n")
        f.write("public static partial class DicomTags\n{\n")
        for e in current:
            f.write(f"    /// <summary>{tag_text(e[0])} {xml_escape(e[5])}.</summary>\n")
            f.write(f"    public static DicomTag {e[4]} => new(0x{e[0]:08X});\n")
        f.write("}\n")
    with open(os.path.join(out, "DicomTagValues.Generated.cs"), "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.write("namespace ImagingRepo.Dicom;\n\n")
        f.write("/// <summary>The members of <see cref=\"DicomTags\"/> as <c>0xGGGGEEEE</c> constants, for switch statements and patterns.</summary>\n")
        f.write("internal static class DicomTagValues\n{\n")
        for e in current:
            f.write(f"    /// <summary>{tag_text(e[0])} {xml_escape(e[5])}.</summary>\n")
            f.write(f"    public const uint {e[4]} = 0x{e[0]:08X};\n")
        f.write("}\n")
    return len(current)


def read_tsv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def chunks(values, per_line, fmt):
    lines = []
    for i in range(0, len(values), per_line):
        lines.append("        " + ", ".join(fmt(v) for v in values[i:i + per_line]) + ",")
    return "\n".join(lines)


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    standard = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "src", "ImagingRepo.Dicom")
    tables = os.path.join(out, "DataDictionary")

    exact = []
    masked = []
    for row in read_tsv(os.path.join(standard, "pydicom_data_dictionary.tsv")):
        group, element = parse_tag(row["tag"])
        value, mask = mask_of(group, element)
        entry = (value, mask, parse_vrs(row["vr"]), row["vm"].strip(), row["keyword"].strip(),
                 row["name"].strip(), row["retired"].strip() == "Y")
        (exact if mask == 0xFFFFFFFF else masked).append(entry)
    for row in read_tsv(os.path.join(standard, "pydicom_repeaters_dictionary.tsv")):
        group, element = parse_tag(row["tag_mask"])
        value, mask = mask_of(group, element)
        masked.append((value, mask, parse_vrs(row["vr"]), row["vm"].strip(), row["keyword"].strip(),
                       row["name"].strip(), row["retired"].strip() == "Y"))

    exact.sort(key=lambda e: e[0])
    seen = set()
    for e in exact:
        if e[0] in seen:
            raise SystemExit(f"duplicate tag {e[0]:08X}")
        seen.add(e[0])
    # Most specific masks first so that a lookup takes the first match.
    masked.sort(key=lambda e: (-bin(e[1]).count("1"), e[0]))
    entries = exact + masked

    pool = []
    offsets = []
    position = 0
    for e in entries:
        text = f"{e[4]}\t{e[5]}\t{e[3]}"
        offsets.append(position)
        pool.append(text)
        position += len(text) + 1
    pool_text = "\n".join(pool) + "\n"

    header = ("// <auto-generated>\n// Generated by eng/generate-dicom-dictionary.py from the PS3.6 tables. Do not edit.\n"
              "// </auto-generated>\n")

    with open(os.path.join(tables, "DicomDictionary.Generated.cs"), "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.write("namespace ImagingRepo.Dicom.DataDictionary;\n\n")
        f.write("internal static class DicomDictionaryData\n{\n")
        f.write(f"    public const int ExactCount = {len(exact)};\n\n")
        f.write(f"    public const int MaskedCount = {len(masked)};\n\n")
        f.write("    /// <summary>Exact tags sorted ascending, then the repeating-group values.</summary>\n")
        f.write("    public static ReadOnlySpan<uint> Tags =>\n    [\n")
        f.write(chunks([e[0] for e in entries], 8, lambda v: f"0x{v:08X}"))
        f.write("\n    ];\n\n")
        f.write("    /// <summary>Masks of the repeating-group entries (after the exact ones).</summary>\n")
        f.write("    public static ReadOnlySpan<uint> Masks =>\n    [\n")
        f.write(chunks([e[1] for e in masked], 8, lambda v: f"0x{v:08X}"))
        f.write("\n    ];\n\n")
        for index, name in enumerate(["Vr1", "Vr2", "Vr3"]):
            f.write(f"    public static ReadOnlySpan<ushort> {name} =>\n    [\n")
            f.write(chunks([e[2][index] for e in entries], 16, lambda v: f"0x{v:04X}"))
            f.write("\n    ];\n\n")
        f.write("    public static ReadOnlySpan<byte> Retired =>\n    [\n")
        f.write(chunks([1 if e[6] else 0 for e in entries], 32, str))
        f.write("\n    ];\n\n")
        f.write("    public static ReadOnlySpan<int> PoolOffsets =>\n    [\n")
        f.write(chunks(offsets, 12, str))
        f.write("\n    ];\n\n")
        f.write("    /// <summary>keyword TAB name TAB VM, one entry per line.</summary>\n")
        f.write(f"    public const string Pool = \"{escape(pool_text).replace(chr(10), chr(92) + 'n').replace(chr(9), chr(92) + 't')}\";\n")
        f.write("}\n")

    keywords = write_keywords(out, header, exact, masked)

    uids = read_tsv(os.path.join(standard, "pydicom_uid_registry.tsv"))
    lines = []
    for row in uids:
        lines.append("\t".join([row["uid"].strip(), row["name"].strip(), row["type"].strip(), row["keyword"].strip(),
                                row["retired"].strip()]))
    uid_text = "\n".join(lines) + "\n"
    with open(os.path.join(tables, "DicomUidRegistry.Generated.cs"), "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.write("namespace ImagingRepo.Dicom.DataDictionary;\n\n")
        f.write("internal static class DicomUidRegistryData\n{\n")
        f.write(f"    public const int Count = {len(lines)};\n\n")
        f.write("    /// <summary>uid TAB name TAB type TAB keyword TAB retired(Y/N), one entry per line.</summary>\n")
        f.write(f"    public const string Pool = \"{escape(uid_text).replace(chr(10), chr(92) + 'n').replace(chr(9), chr(92) + 't')}\";\n")
        f.write("}\n")
    print(f"{len(exact)} exact tags, {len(masked)} repeating-group masks, {keywords} keywords, {len(lines)} UIDs written to {out}")


if __name__ == "__main__":
    main()
