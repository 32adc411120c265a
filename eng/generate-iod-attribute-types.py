#!/usr/bin/env python3
"""Generates the table of attribute Types (PS3.3) that resolves the composite actions of PS3.15 Table E.1-1.

Usage: generate-iod-attribute-types.py STANDARD_DIR [OUTPUT_FILE]

STANDARD_DIR holds annexE_basic_profile_2024b.tsv (the profile table: which attributes have a composite
action such as X/Z or X/Z/D) and innolitics_sops.json (the storage SOP classes and their IODs).

The Types come from the module tables of PS3.3 as dicom3tools encodes them: for each storage SOP class
this script writes a probe instance that carries every attribute the resolver asks about (values valid
for their VR, sequences without items, so nothing nested is checked) and reads `dciodvfy -v`, which names
the Type and module of every attribute of the IOD it finds ("Valid Element - Type 3 Optional
Element=<ReferencedStudySequence> Module=<GeneralStudy>") and warns about those the IOD lacks. An attribute
in two modules of one IOD (Device Serial Number: General Equipment 3, Enhanced General Equipment 1) takes
the strictest Type. SOP classes dciodvfy does not know are left out (their attributes resolve as unknown).

Requires dicom3tools (dciodvfy) and python3-pydicom. The output is deterministic.
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.datadict import dictionary_VR, keyword_for_tag
from pydicom.uid import ExplicitVRLittleEndian

# Attributes outside the composite rows whose Type the resolver needs: a Type 1C whose condition is the
# presence of an attribute the profile removes (the dependency is written in IodAttributeTypes.cs).
EXTRA_TAGS = [
    0x00120081,  # Clinical Trial Protocol Ethics Committee Name: 1C, required if the approval number is present
]

VALUES = {"DA": "20240101", "TM": "101010", "DT": "20240101101010", "UI": "1.2.3", "CS": "ALTERED",
          "PN": "X^Y", "DS": "1", "IS": "1"}

# strictest first
TYPE_ORDER = ["1", "1C", "2", "2C", "3"]
TYPE_NAMES = {"1": "Type1", "1C": "Type1C", "2": "Type2", "2C": "Type2C", "3": "Type3"}
LINE = re.compile(r"^(?:Valid Element|Error|Warning) - .*?Type (1C|2C|1|2|3) .*Element=<(\w+)> Module=<(\w+)>")


def composite_tags(standard):
    tags = []
    with open(os.path.join(standard, "annexE_basic_profile_2024b.tsv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if "/" in (row["basic_profile"] or ""):
                tags.append(int(row["id"], 16))
    return sorted(set(tags + EXTRA_TAGS))


def probe(sop_class, tags, folder):
    d = Dataset()
    d.SOPClassUID = sop_class
    d.SOPInstanceUID = "1.2.3.4"
    for tag in tags:
        vr = dictionary_VR(tag)
        d.add_new(tag, vr, [] if vr == "SQ" else VALUES.get(vr, "X"))
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = "1.2.3.4"
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    d.file_meta = meta
    d.is_little_endian = True
    d.is_implicit_VR = False
    path = os.path.join(folder, "probe.dcm")
    d.save_as(path, write_like_original=False)
    run = subprocess.run(["dciodvfy", "-v", path], capture_output=True, text=True, check=False)
    out = run.stdout + run.stderr
    if "Verifying Composite Information Object" not in out:
        return None  # a SOP class this dciodvfy does not know
    by_keyword = {keyword_for_tag(t): t for t in tags}
    found = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if not m or m.group(2) not in by_keyword:
            continue
        tag = by_keyword[m.group(2)]
        kind = m.group(1)
        if tag not in found or TYPE_ORDER.index(kind) < TYPE_ORDER.index(found[tag][0]):
            found[tag] = (kind, m.group(3))
    return found


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    standard = sys.argv[1]
    output = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(__file__), "..", "src", "ImagingRepo.Dicom", "Deidentification", "Profile", "IodAttributeTypeTable.g.cs")
    tags = composite_tags(standard)
    with open(os.path.join(standard, "innolitics_sops.json"), encoding="utf-8") as f:
        sops = sorted(json.load(f), key=lambda s: [int(p) for p in s["id"].split(".")])
    version = subprocess.run(["dciodvfy", "-version"], capture_output=True, text=True, check=False)
    version = (version.stdout + version.stderr).splitlines()[0].split("Version:")[-1].strip()

    profiles = []  # distinct tuples of (tag, type, module)
    classes = []
    with tempfile.TemporaryDirectory() as folder:
        for sop in sops:
            if sop["id"] == "1.2.840.10008.1.3.10":
                continue  # the DICOMDIR is no composite instance
            found = probe(sop["id"], tags, folder)
            if found is None:
                continue
            key = tuple(sorted((t, k, m) for t, (k, m) in found.items()))
            if key not in profiles:
                profiles.append(key)
            classes.append((sop["id"], sop["name"], profiles.index(key)))

    lines = [
        "// <auto-generated>",
        "// Generated by eng/generate-iod-attribute-types.py from the PS3.3 module tables as dicom3tools",
        f"// {version} (dciodvfy) encodes them. Do not edit by hand: change the generator and rerun it.",
        "// </auto-generated>",
        "#nullable enable",
        "",
        "using T = ImagingRepo.Dicom.Deidentification.Profile.AttributeType;",
        "",
        "namespace ImagingRepo.Dicom.Deidentification.Profile;",
        "",
        "internal static partial class IodAttributeTypeTable",
        "{",
        "    /// <summary>The dicom3tools release whose module tables the Types come from.</summary>",
        f"    public const string Source = \"dicom3tools {version}\";",
        "",
        "    /// <summary>",
        "    /// Distinct Type profiles: for each, the Type of every probed attribute the IOD holds at its top level",
        "    /// (an attribute not listed is not in the IOD). The module is the one the Type comes from.",
        "    /// </summary>",
        "    public static readonly (uint Tag, T Type)[][] Profiles =",
        "    [",
    ]
    for index, profile in enumerate(profiles):
        lines.append(f"        // profile {index}")
        lines.append("        [")
        for tag, kind, module in profile:
            lines.append(f"            (0x{tag:08X}u, T.{TYPE_NAMES[kind]}), // {keyword_for_tag(tag)}: {module}")
        lines.append("        ],")
    lines += [
        "    ];",
        "",
        "    /// <summary>Each storage SOP class dciodvfy knows and the index of its profile in <see cref=\"Profiles\"/>.</summary>",
        "    public static readonly (string SopClassUid, int Profile)[] SopClasses =",
        "    [",
    ]
    for uid, name, index in classes:
        lines.append(f"        (\"{uid}\", {index}), // {name}")
    lines += ["    ];", "}", ""]
    with open(output, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))
    print(f"{len(classes)} SOP classes, {len(profiles)} profiles, {len(tags)} attributes -> {output}")


if __name__ == "__main__":
    main()
