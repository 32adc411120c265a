#!/usr/bin/env python3
"""Generates the PS3.15 Table E.1-1 profile table used by ImagingRepo.Dicom.Deidentification.

Usage: generate-deid-profile.py STANDARD_DIR [OUTPUT_FILE]

STANDARD_DIR holds annexE_basic_profile_2024b.tsv (the table, edition 2024b) and
pydicom_data_dictionary.tsv / pydicom_repeaters_dictionary.tsv (for each row's VR).
The two rows added to the table after 2024b are appended here (see NEWER_ROWS).
The output is deterministic so that regenerating an unchanged table changes nothing.
"""
import csv
import os
import sys

EDITION = "2024b"

# Rows missing from the 2024b edition, present in later ones (tag, name, basic action, {column: action}).
NEWER_ROWS = [
    ("(0010,2161)", "Ethnic Group Code Sequence", "X", {"retain_patient_characteristics": "K"}),
    ("(300A,0054)", "Table Top Position Alignment UID", "U", {"retain_uids": "K"}),
]

# Option columns of the table, in the order of DeidentificationOptions.
OPTION_COLUMNS = [
    ("retain_safe_private", "RetainSafePrivate"),
    ("retain_uids", "RetainUids"),
    ("retain_device_identity", "RetainDeviceIdentity"),
    ("retain_institution_identity", "RetainInstitutionIdentity"),
    ("retain_patient_characteristics", "RetainPatientCharacteristics"),
    ("retain_long_full_dates", "RetainLongitudinalFullDates"),
    ("retain_long_modified_dates", "RetainLongitudinalModifiedDates"),
    ("clean_descriptors", "CleanDescriptors"),
    ("clean_structured_content", "CleanStructuredContent"),
    ("clean_graphics", "CleanGraphics"),
]

BASIC_ACTIONS = {
    "D": "Dummy",
    "Z": "Zero",
    "X": "Remove",
    "K": "Keep",
    "C": "Clean",
    "U": "ReplaceUid",
    "X/Z": "RemoveOrZero",
    "X/D": "RemoveOrDummy",
    "Z/D": "ZeroOrDummy",
    "X/Z/D": "RemoveOrZeroOrDummy",
    "X/Z/U*": "RemoveOrZeroOrReplaceUids",
}


def load_vrs(standard):
    vrs = {}
    with open(os.path.join(standard, "pydicom_data_dictionary.tsv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            vrs[row["tag"].upper()] = row["vr"]
    with open(os.path.join(standard, "pydicom_repeaters_dictionary.tsv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            vrs[row["tag_mask"].upper()] = row["vr"]
    return vrs


def parse_tag(text):
    """Returns (value, mask) for '(gggg,eeee)' where x digits are wildcards."""
    text = text.strip().upper()
    if text.startswith("(GGGG,EEEE)"):
        return None  # the private-attributes row: handled by the private rule, not by tag
    digits = text[1:5] + text[6:10]
    value = 0
    mask = 0
    for ch in digits:
        value <<= 4
        mask <<= 4
        if ch != "X":
            value |= int(ch, 16)
            mask |= 0xF
    return value, mask


def csharp_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    standard = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    output = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        here, "..", "src", "ImagingRepo.Dicom", "Deidentification", "Profile", "ConfidentialityProfileTable.g.cs")

    vrs = load_vrs(standard)
    with open(os.path.join(standard, f"annexE_basic_profile_{EDITION}.tsv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))

    for tag, name, basic, options in NEWER_ROWS:
        if any(r["tag"].upper() == tag for r in rows):
            continue
        row = {"tag": tag, "name": name, "basic_profile": basic}
        for column, _ in OPTION_COLUMNS:
            row[column] = options.get(column, "")
        rows.append(row)

    entries = []
    private_options = None
    for row in rows:
        parsed = parse_tag(row["tag"])
        keep = [enum for column, enum in OPTION_COLUMNS if row[column].strip() == "K"]
        clean = [enum for column, enum in OPTION_COLUMNS if row[column].strip() == "C"]
        for column, _ in OPTION_COLUMNS:
            if row[column].strip() not in ("", "K", "C"):
                sys.exit(f"unexpected option action {row[column]!r} in {row['tag']}")
        basic = row["basic_profile"].strip()
        if basic not in BASIC_ACTIONS:
            sys.exit(f"unexpected basic action {basic!r} in {row['tag']}")
        if parsed is None:
            private_options = (BASIC_ACTIONS[basic], keep, clean)
            continue
        value, mask = parsed
        key = row["tag"].strip().upper()
        vr = vrs.get(key) or vrs.get(key.replace("XXXX", "xxxx").upper()) or ""
        if not vr and mask != 0xFFFFFFFF:
            # masked rows: find the repeater entry with the same element pattern
            vr = vrs.get("(%sXX,%s)" % (key[1:3], key[6:10]), "")
        if mask == 0xFF000000:
            vr = "OB or OW"  # whole curve group; the data element carries its own VR
        name = " ".join(row["name"].split())
        entries.append((value, mask, name, BASIC_ACTIONS[basic], keep, clean, vr.split(" or ")[0] if vr else "UN"))

    entries.sort(key=lambda e: (e[1] != 0xFFFFFFFF, e[0]))
    if private_options is None:
        sys.exit("the private-attributes row is missing")

    def flags(names):
        return " | ".join("O." + n for n in names) if names else "O.None"

    lines = []
    lines.append("// <auto-generated>")
    lines.append(f"// Generated by eng/generate-deid-profile.py from PS3.15 Table E.1-1 (edition {EDITION})")
    lines.append("// plus the rows added in later editions. Do not edit by hand: change the generator and rerun it.")
    lines.append("// </auto-generated>")
    lines.append("#nullable enable")
    lines.append("")
    lines.append("using A = ImagingRepo.Dicom.Deidentification.ProfileAction;")
    lines.append("using O = ImagingRepo.Dicom.Deidentification.DeidentificationOptions;")
    lines.append("")
    lines.append("namespace ImagingRepo.Dicom.Deidentification.Profile;")
    lines.append("")
    lines.append("internal static partial class ConfidentialityProfileTable")
    lines.append("{")
    lines.append("    /// <summary>The edition of PS3.15 Table E.1-1 the rows come from.</summary>")
    lines.append(f"    public const string Edition = {csharp_string(EDITION)};")
    lines.append("")
    lines.append(f"    /// <summary>Action on private attributes (odd groups): basic {private_options[0]}.</summary>")
    lines.append(f"    public static readonly ProfileRow PrivateAttributes = new(0x00010000u, 0x00010000u, \"Private Attributes\", \"UN\", A.{private_options[0]}, {flags(private_options[1])}, {flags(private_options[2])});")
    lines.append("")
    lines.append("    /// <summary>Every row keyed by tag; rows with a mask other than FFFFFFFF cover a repeating group.</summary>")
    lines.append("    public static readonly ProfileRow[] Rows =")
    lines.append("    [")
    for value, mask, name, basic, keep, clean, vr in entries:
        lines.append(f"        new(0x{value:08X}u, 0x{mask:08X}u, {csharp_string(name)}, \"{vr}\", A.{basic}, {flags(keep)}, {flags(clean)}),")
    lines.append("    ];")
    lines.append("}")
    lines.append("")

    with open(output, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))
    print(f"wrote {len(entries)} rows + private rule to {os.path.relpath(output)}")


if __name__ == "__main__":
    main()
