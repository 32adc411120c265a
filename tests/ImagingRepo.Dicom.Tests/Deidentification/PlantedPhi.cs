using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Profile;

namespace ImagingRepo.Dicom.Tests.Deidentification;

/// <summary>
/// Builds one instance carrying every attribute of PS3.15 Table E.1-1 (top level, again nested in an unlisted
/// sequence, inside each listed sequence), curve and overlay groups, private blocks and SR content text, every
/// value holding a unique marker. Each plant knows where it sits so the expected survival can be computed
/// from the table for any option set.
/// </summary>
internal sealed class PlantedPhi
{
    public const string SafeCreator = "SAFE CREATOR";
    public const uint NestingSequence = 0x00081115; // Referenced Series Sequence: not listed by the table

    /// <summary>Text planted in the 128-byte preamble, as a sending system left its AE title and a device name there.</summary>
    public const string PreambleMarker = "MKPREAMBLEZ";

    /// <summary>Where the instance's SOP Class and SOP Instance UIDs are.</summary>
    public enum SopUids
    {
        /// <summary>In the dataset and the file meta, as usual.</summary>
        InDataset,

        /// <summary>Only in the file meta (Media Storage SOP Class/Instance UID).</summary>
        InFileMetaOnly,

        /// <summary>The SOP Class UID only in the file meta, no SOP Instance UID anywhere.</summary>
        NoInstanceUid,
    }

    private int _next = 1;

    private PlantedPhi()
    {
    }

    public List<Plant> Plants { get; } = [];

    public DicomFile File { get; private set; } = null!;

    public static PlantedPhi Build(SopUids sopUids = SopUids.InDataset)
    {
        Assert.False(ConfidentialityProfile.TryFind(NestingSequence, out _));
        var phi = new PlantedPhi();
        var dataset = new DicomDataset();
        dataset.SetString(new DicomTag(0x00080016), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
        var listed = ConfidentialityProfile.Rows
            .Where(r => !r.IsMasked && (r.Tag >> 16) is not (0x0000 or 0x0002 or 0x0004))
            .ToList();

        foreach (var row in listed)
        {
            phi.PlantRow(dataset, row, []);
        }

        // the same attributes again, one level down in a sequence the table does not list
        var nestedItem = new DicomDataset();
        foreach (var row in listed.Where(r => r.ValueRepresentation != "SQ"))
        {
            phi.PlantRow(nestedItem, row, [new Step(NestingSequence, 0, null)]);
        }

        dataset.Add(new DicomSequence(new DicomTag(NestingSequence), nestedItem));

        phi.PlantCurvesAndOverlays(dataset);
        phi.PlantPrivateBlocks(dataset);
        phi.PlantPrivateSchemeCode(dataset, new DicomTag(0x0040A043), "99LOCAL", []); // an SR document title of a site's own

        var file = new DicomFile(dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        file.FileMetaInformation.SetString(new DicomTag(0x00020002), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
        var instanceUid = dataset.GetString(new DicomTag(0x00080018))!;
        switch (sopUids)
        {
            case SopUids.InDataset:
                file.FileMetaInformation.SetString(new DicomTag(0x00020003), DicomVR.UI, instanceUid);
                break;
            case SopUids.InFileMetaOnly:
                file.FileMetaInformation.SetString(new DicomTag(0x00020003), DicomVR.UI, instanceUid);
                dataset.Remove(new DicomTag(0x00080016));
                dataset.Remove(new DicomTag(0x00080018));
                break;
            case SopUids.NoInstanceUid:
                dataset.Remove(new DicomTag(0x00080016));
                dataset.Remove(new DicomTag(0x00080018));
                phi.Plants.RemoveAll(p => p.Tag == 0x00080018 && p.Path.Length == 0);
                break;
        }

        var preamble = new byte[128];
        System.Text.Encoding.ASCII.GetBytes("AE=" + PreambleMarker + " STATION=" + PreambleMarker, preamble);
        file.Preamble = preamble;
        phi.File = file;
        return phi;
    }

    /// <summary>A code item of a private or local coding scheme whose meaning carries a marker (its value does not).</summary>
    private void PlantPrivateSchemeCode(DicomDataset dataset, DicomTag sequence, string scheme, Step[] path)
    {
        var item = new DicomDataset();
        item.SetString(new DicomTag(0x00080100), DicomVR.SH, "LOCAL-" + scheme);
        item.SetString(new DicomTag(0x00080102), DicomVR.SH, scheme);
        PlantValue(item, new DicomTag(0x00080104), "LO", null, [.. path, new Step(sequence.Value, 0, null)], privateScheme: true);
        dataset.Add(new DicomSequence(sequence, item));
    }

    private void PlantRow(DicomDataset dataset, ProfileRow row, Step[] path)
    {
        var tag = new DicomTag(row.Tag);
        if (row.ValueRepresentation != "SQ")
        {
            PlantValue(dataset, tag, row.ValueRepresentation, row, path);
            return;
        }

        var item = new DicomDataset();
        var inner = path.Append(new Step(row.Tag, 0, row)).ToArray();
        if (row.Tag == 0x0040A730)
        {
            PlantContent(dataset, row, path);
            return;
        }

        if (row.BasicAction == ProfileAction.RemoveOrZeroOrReplaceUids)
        {
            item.SetString(new DicomTag(0x00081150), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
            Assert.True(ConfidentialityProfile.TryFind(0x00081155, out var referenced));
            PlantValue(item, new DicomTag(0x00081155), "UI", referenced, inner);
        }
        else
        {
            PlantValue(item, new DicomTag(0x00080100), "SH", null, inner);
            item.SetString(new DicomTag(0x00080102), DicomVR.SH, "99MK");
            PlantValue(item, new DicomTag(0x00080104), "LO", null, inner, privateScheme: true);
        }

        dataset.Add(new DicomSequence(tag, item));
    }

    private void PlantContent(DicomDataset dataset, ProfileRow contentRow, Step[] path)
    {
        DicomDataset Item(string valueType, string code, string meaning)
        {
            var item = new DicomDataset();
            item.SetString(new DicomTag(0x0040A010), DicomVR.CS, "CONTAINS");
            item.SetString(new DicomTag(0x0040A040), DicomVR.CS, valueType);
            var concept = new DicomDataset();
            concept.SetString(new DicomTag(0x00080100), DicomVR.SH, code);
            concept.SetString(new DicomTag(0x00080102), DicomVR.SH, "DCM");
            concept.SetString(new DicomTag(0x00080104), DicomVR.LO, meaning);
            item.Add(new DicomSequence(new DicomTag(0x0040A043), concept));
            return item;
        }

        var text = Item("TEXT", "121071", "Finding");
        PlantValue(text, new DicomTag(0x0040A160), "UT", null, [.. path, new Step(contentRow.Tag, 0, contentRow)]);
        var person = Item("PNAME", "121008", "Person Observer Name");
        Assert.True(ConfidentialityProfile.TryFind(0x0040A123, out var personRow));
        PlantValue(person, new DicomTag(0x0040A123), "PN", personRow, [.. path, new Step(contentRow.Tag, 1, contentRow)]);
        var date = Item("DATE", "111060", "Study Date");
        Assert.True(ConfidentialityProfile.TryFind(0x0040A121, out var dateRow));
        PlantValue(date, new DicomTag(0x0040A121), "DA", dateRow, [.. path, new Step(contentRow.Tag, 2, contentRow)]);

        // concept names and a coded value of private and local schemes: their meanings are a site's free text
        var local = new DicomDataset();
        local.SetString(new DicomTag(0x0040A010), DicomVR.CS, "CONTAINS");
        local.SetString(new DicomTag(0x0040A040), DicomVR.CS, "CODE");
        Step[] localPath = [.. path, new Step(contentRow.Tag, 3, contentRow)];
        PlantPrivateSchemeCode(local, new DicomTag(0x0040A043), "99PRIVATE", localPath);
        PlantPrivateSchemeCode(local, new DicomTag(0x0040A168), "L", localPath);
        var unknown = Item("TEXT", "T-0", "Unknown scheme");
        Step[] unknownPath = [.. path, new Step(contentRow.Tag, 4, contentRow)];
        unknown.Remove(new DicomTag(0x0040A043));
        PlantPrivateSchemeCode(unknown, new DicomTag(0x0040A043), "ACME", unknownPath);
        dataset.Add(new DicomSequence(new DicomTag(contentRow.Tag), text, person, date, local, unknown));
    }

    private void PlantCurvesAndOverlays(DicomDataset dataset)
    {
        ConfidentialityProfile.TryFind(0x50000022, out var curve);
        PlantValue(dataset, new DicomTag(0x50000022), "LO", curve, []);
        PlantValue(dataset, new DicomTag(0x50003000), "OB", curve, []);

        dataset.SetValues<ushort>(new DicomTag(0x60000010), DicomVR.US, 8);
        dataset.SetValues<ushort>(new DicomTag(0x60000011), DicomVR.US, 8);
        dataset.SetString(new DicomTag(0x60000040), DicomVR.CS, "G");
        dataset.SetValues<short>(new DicomTag(0x60000050), DicomVR.SS, 1, 1);
        dataset.SetValues<ushort>(new DicomTag(0x60000100), DicomVR.US, 1);
        dataset.SetValues<ushort>(new DicomTag(0x60000102), DicomVR.US, 0);
        ConfidentialityProfile.TryFind(0x60003000, out var overlayData);
        PlantValue(dataset, new DicomTag(0x60003000), "OB", overlayData, []);
        ConfidentialityProfile.TryFind(0x60004000, out var overlayComments);
        PlantValue(dataset, new DicomTag(0x60004000), "LT", overlayComments, []);
    }

    private void PlantPrivateBlocks(DicomDataset dataset)
    {
        var privateRow = ConfidentialityProfile.PrivateAttributes;
        dataset.SetString(new DicomTag(0x00090010), DicomVR.LO, "OTHER CREATOR");
        PlantValue(dataset, new DicomTag(0x00091001), "LO", privateRow, [], safe: false);
        var privateItem = new DicomDataset();
        PlantValue(privateItem, new DicomTag(0x00100010), "PN", privateRow, [new Step(0x00091002, 0, privateRow)], safe: false);
        dataset.Add(new DicomSequence(new DicomTag(0x00091002), privateItem));

        dataset.SetString(new DicomTag(0x00110010), DicomVR.LO, SafeCreator);
        PlantValue(dataset, new DicomTag(0x00111005), "LO", privateRow, [], safe: true);
        PlantValue(dataset, new DicomTag(0x00111006), "LO", privateRow, [], safe: false);
    }

    private void PlantValue(DicomDataset dataset, DicomTag tag, string vrCode, ProfileRow? row, Step[] path, bool safe = false,
        bool privateScheme = false)
    {
        var i = _next++;
        var vr = Enum.Parse<DicomVR>(vrCode);
        string? text = vr switch
        {
            DicomVR.DA => Date(i),
            DicomVR.TM => string.Create(CultureInfo.InvariantCulture, $"1200{i % 60:D2}.{900000 + i}"),
            DicomVR.DT => Date(i) + string.Create(CultureInfo.InvariantCulture, $"120000.{900000 + i}"),
            DicomVR.DS => string.Create(CultureInfo.InvariantCulture, $"-7{i:D4}.4321"),
            DicomVR.IS => string.Create(CultureInfo.InvariantCulture, $"-7{i:D5}"),
            DicomVR.UI => string.Create(CultureInfo.InvariantCulture, $"1.2.999.{i}.777"),
            DicomVR.UR => string.Create(CultureInfo.InvariantCulture, $"http://mk{i:D4}z.example/"),
            DicomVR.AS => string.Create(CultureInfo.InvariantCulture, $"{i % 1000:D3}W"),
            DicomVR.AE or DicomVR.CS or DicomVR.SH or DicomVR.LO or DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UC or DicomVR.PN
                => string.Create(CultureInfo.InvariantCulture, $"MK{i:D4}Z"),
            _ => null,
        };

        byte[] bytes;
        if (text is not null)
        {
            dataset.SetString(tag, vr, text);
            bytes = Encoding.ASCII.GetBytes(text);
        }
        else if (vr is DicomVR.OB or DicomVR.OW or DicomVR.UN or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV)
        {
            var marker = string.Create(CultureInfo.InvariantCulture, $"MK{i:D4}Z ");
            dataset.Add(new DicomValueElement(tag, vr, Encoding.ASCII.GetBytes(marker)));
            text = marker.TrimEnd();
            bytes = Encoding.ASCII.GetBytes(text);
        }
        else
        {
            var size = vr switch { DicomVR.US or DicomVR.SS => 2, DicomVR.FD or DicomVR.SV or DicomVR.UV => 8, _ => 4 };
            var value = new byte[size];
            BinaryPrimitives.WriteUInt16LittleEndian(value, (ushort)(0xA000 + i));
            dataset.Add(new DicomValueElement(tag, vr, value));
            bytes = value;
        }

        Plants.Add(new Plant(text, bytes, tag.Value, vr, row, path, safe, ByteSearchable: text is not null && vr != DicomVR.AS, privateScheme));
    }

    private static string Date(int i) => new DateOnly(1901, 1, 1).AddDays(i * 2).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>One step down: the sequence, the item index, and the table row governing the sequence (null when unlisted).</summary>
    internal sealed record Step(uint Sequence, int Item, ProfileRow? Row);

    /// <summary>
    /// A planted value: its marker text (null for binary numbers), bytes, place and the table row governing it;
    /// <paramref name="PrivateSchemeMeaning"/> for a Code Meaning under a private or local coding scheme.
    /// </summary>
    internal sealed record Plant(string? Marker, byte[] Bytes, uint Tag, DicomVR VR, ProfileRow? Row, Step[] Path, bool Safe, bool ByteSearchable,
        bool PrivateSchemeMeaning = false);
}

/// <summary>
/// What the standard says survives: the table action after options, composite actions resolved as documented,
/// sequences passing their mode (dummy content, clean content) down to unlisted elements.
/// </summary>
internal static class SurvivalRules
{
    private static readonly HashSet<uint> Vocabulary = [0x0040A043, 0x0040A168, 0x004008EA, 0x0040A195, 0x0040A170, 0x00082218, 0x00089215];

    public static bool Survives(PlantedPhi.Plant plant, DeidentificationOptions options)
    {
        if (plant.Tag is 0x00100010 or 0x00100020)
        {
            return false; // keyed pseudonyms replace patient identity wherever it sits
        }

        if (plant.PrivateSchemeMeaning)
        {
            return false; // a site's own code meaning is free text: replaced by the code value at any depth, under any option
        }

        var mode = "normal";
        uint parent = 0;
        foreach (var step in plant.Path)
        {
            var kind = step.Row is { } row ? KindOf(row, options, step.Sequence, plant) : "keep";
            switch (kind)
            {
                case "keep":
                case "uid":
                    break;
                case "dummy":
                    mode = "dummy";
                    break;
                case "clean":
                    mode = "clean";
                    break;
                default:
                    return false; // removed or emptied
            }

            parent = step.Sequence;
        }

        if (plant.Row is not { } own)
        {
            var isText = plant.VR is DicomVR.AE or DicomVR.AS or DicomVR.DA or DicomVR.DT or DicomVR.TM or DicomVR.LO or DicomVR.LT
                or DicomVR.PN or DicomVR.SH or DicomVR.ST or DicomVR.UC or DicomVR.UT or DicomVR.UR;
            var isCode = plant.Tag is 0x00080100 or 0x00080102 or 0x00080104;
            return mode != "dummy" || !isText || (isCode && Vocabulary.Contains(parent));
        }

        var ownKind = KindOf(own, options, plant.Tag, plant);
        return ownKind switch
        {
            "keep" => true,
            "clean" => plant.VR is not (DicomVR.DA or DicomVR.DT or DicomVR.AE),
            _ => false,
        };
    }

    private static string KindOf(ProfileRow row, DeidentificationOptions options, uint tag, PlantedPhi.Plant plant)
    {
        if (row.Mask == 0x00010000)
        {
            // private: kept only under Retain Safe Private and only when on the allow-list
            var sequencePlant = (tag & 0xFFFF) == 0x1002;
            return (options & DeidentificationOptions.RetainSafePrivate) != 0 && plant.Safe && !sequencePlant ? "keep" : "remove";
        }

        if (row.Tag == 0x60003000 || row.Tag == 0x60004000)
        {
            // overlays: the whole group goes with Overlay Data unless Clean Graphics keeps it
            return (options & DeidentificationOptions.CleanGraphics) != 0 ? "clean" : "remove";
        }

        return row.ActionFor(options) switch
        {
            ProfileAction.Keep => "keep",
            ProfileAction.Clean => "clean",
            ProfileAction.Remove => "remove",
            ProfileAction.Zero or ProfileAction.RemoveOrZero => "zero",
            ProfileAction.ReplaceUid or ProfileAction.RemoveOrZeroOrReplaceUids => row.ValueRepresentation == "SQ" ? "uid" : "replaced",
            _ => row.ValueRepresentation == "SQ" ? "dummy" : "replaced",
        };
    }
}
