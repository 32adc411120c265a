using System.Buffers;
using System.Text;
using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Dicom.Tests.IO;

/// <summary>
/// Known private elements get their private-dictionary VR in implicit VR, so a private sequence is parsed as one and its
/// items can be walked (by the reader, the dump and de-identification); unknown private elements stay UN.
/// </summary>
public sealed class PrivateSequenceTests : IDisposable
{
    private const string Philips = "Philips Imaging DD 001";
    private static readonly DicomTag Creator = new(0x20010010);
    private static readonly DicomTag CardiacSync = new(0x20011010);        // CS
    private static readonly DicomTag StackSequence = new(0x2001105F);      // SQ
    private static readonly DicomTag StackRadialAxis = new(0x20011033);    // CS
    private static readonly DicomTag StackSliceNumber = new(0x20011035);   // SS
    private static readonly DicomTag UnknownCreator = new(0x00290010);
    private static readonly DicomTag UnknownElement = new(0x00291001);

    private readonly string root = Directory.CreateTempSubdirectory("private-sq-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static DicomValueElement Text(DicomTag tag, DicomVR vr, string value) =>
        new(tag, vr, Encoding.ASCII.GetBytes(value.Length % 2 == 0 ? value : value + " "));

    private static DicomDataset Item(short slice)
    {
        var item = new DicomDataset(Text(Creator, DicomVR.LO, Philips), Text(StackRadialAxis, DicomVR.CS, "RADIALMARKER"));
        item.SetValues(StackSliceNumber, DicomVR.SS, slice);
        return item;
    }

    private static DicomDataset Dataset()
    {
        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.4");
        dataset.SetString(DicomTags.SOPInstanceUID, "2.25.5151");
        dataset.SetString(DicomTags.StudyInstanceUID, "2.25.5152");
        dataset.SetString(DicomTags.SeriesInstanceUID, "2.25.5153");
        dataset.SetString(DicomTags.PatientID, "P-77");
        dataset.SetString(DicomTags.PatientName, "Doe^Jane");
        dataset.Add(Text(Creator, DicomVR.LO, Philips));
        dataset.Add(Text(CardiacSync, DicomVR.CS, "NO"));
        dataset.Add(new DicomSequence(StackSequence, Item(7), Item(8)));
        dataset.Add(Text(UnknownCreator, DicomVR.LO, "NOBODY KNOWS ME"));
        dataset.Add(Text(UnknownElement, DicomVR.LO, "opaque"));
        return dataset;
    }

    /// <summary>Implicit VR little endian with defined-length sequences: nothing in the bytes says the private element is a sequence.</summary>
    private static byte[] ImplicitFile()
    {
        using var stream = new MemoryStream();
        new DicomFile(Dataset(), DicomTransferSyntax.ImplicitVRLittleEndian)
            .WriteTo(stream, new DicomWriteOptions { ExplicitLengthSequences = true });
        return stream.ToArray();
    }

    private static void AssertWalkable(DicomDataset dataset)
    {
        Assert.True(dataset.TryGetSequence(StackSequence, out var sequence), $"{StackSequence} was read as {dataset[StackSequence]?.GetType().Name} {dataset[StackSequence]?.VR}");
        Assert.Equal(2, sequence.Items.Count);
        for (var i = 0; i < 2; i++)
        {
            var item = sequence.Items[i];
            Assert.Equal(DicomVR.SS, item[StackSliceNumber]!.VR);
            Assert.Equal((short)(7 + i), item.GetValues<short>(StackSliceNumber)[0]);
            Assert.Equal(DicomVR.CS, item[StackRadialAxis]!.VR);
            Assert.Equal("RADIALMARKER", item.GetString(StackRadialAxis));
        }
    }

    [Fact]
    public void A_known_private_sequence_in_implicit_VR_is_read_as_a_sequence()
    {
        var file = DicomFile.FromBytes(ImplicitFile());

        AssertWalkable(file.Dataset);
        Assert.Equal(DicomVR.CS, file.Dataset[CardiacSync]!.VR);
        Assert.Equal(DicomVR.UN, file.Dataset[UnknownElement]!.VR); // unknown creator: as before
        Assert.Empty(file.Diagnostics);
    }

    [Fact]
    public void Walk_visits_the_elements_inside_the_private_sequence()
    {
        var file = DicomFile.FromBytes(ImplicitFile());

        var inside = file.Dataset.Walk().Where(w => w.Depth == 1).Select(w => w.Element.Tag).ToList();

        Assert.Equal(new[] { Creator, StackRadialAxis, StackSliceNumber, Creator, StackRadialAxis, StackSliceNumber }, inside);
    }

    [Fact]
    public void A_private_sequence_written_as_UN_of_defined_length_is_read_as_a_sequence()
    {
        // PS3.5 6.2.2: a UN value is the element's encoding in implicit VR little endian; here, the items of the sequence.
        var items = new MemoryStream();
        foreach (var item in new[] { Item(7), Item(8) })
        {
            var content = new MemoryStream();
            DicomWriter.WriteDataset(item, content, DicomTransferSyntax.ImplicitVRLittleEndian, new DicomWriteOptions { ExplicitLengthSequences = true });
            items.Write([0xFE, 0xFF, 0x00, 0xE0]);
            items.Write(BitConverter.GetBytes((uint)content.Length));
            content.WriteTo(items);
        }

        var dataset = Dataset();
        dataset.Add(new DicomValueElement(StackSequence, DicomVR.UN, items.ToArray()));
        using var stream = new MemoryStream();
        new DicomFile(dataset).WriteTo(stream);

        var file = DicomFile.FromBytes(stream.ToArray());

        AssertWalkable(file.Dataset);
        Assert.True(((DicomSequence)file.Dataset[StackSequence]!).WasUnknownVR);
        Assert.Empty(file.Diagnostics);
    }

    [Fact]
    public void A_UN_value_that_is_not_a_sequence_stays_a_value()
    {
        var dataset = Dataset();
        dataset.Add(new DicomValueElement(StackSequence, DicomVR.UN, "not items"u8.ToArray()));
        using var stream = new MemoryStream();
        new DicomFile(dataset).WriteTo(stream);

        var file = DicomFile.FromBytes(stream.ToArray());

        Assert.Equal(DicomVR.UN, Assert.IsType<DicomValueElement>(file.Dataset[StackSequence]).VR);
        Assert.Empty(file.Diagnostics);
    }

    [Fact]
    public void A_known_private_sequence_element_that_holds_no_items_stays_a_value_in_implicit_VR()
    {
        var dataset = Dataset();
        dataset.Add(new DicomValueElement(StackSequence, DicomVR.UN, "not items"u8.ToArray()));
        using var stream = new MemoryStream();
        new DicomFile(dataset, DicomTransferSyntax.ImplicitVRLittleEndian).WriteTo(stream);

        var file = DicomFile.FromBytes(stream.ToArray());

        Assert.Equal("not items\0", Encoding.ASCII.GetString(Assert.IsType<DicomValueElement>(file.Dataset[StackSequence]).GetBytes().Span));
        Assert.Equal(DicomVR.UN, file.Dataset[StackSequence]!.VR);
        Assert.Equal("NOBODY KNOWS ME", file.Dataset.GetString(UnknownCreator));
        Assert.Empty(file.Diagnostics);
    }

    [Fact]
    public void The_dump_shows_private_names_and_the_items()
    {
        var path = Path.Combine(root, "implicit.dcm");
        File.WriteAllBytes(path, ImplicitFile());
        var output = new ArrayBufferWriter<byte>();

        DicomDumper.DumpFile(path, output);

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.Contains("(2001,1010) CS [NO]", text, StringComparison.Ordinal);
        Assert.Matches(@"\(2001,1010\) CS \[NO\] +# 2, 1 CardiacSync\n", text);
        Assert.Matches(@"\(2001,105F\) SQ \(Sequence\) +# \d+, 1 StackSequence\n", text);
        Assert.Matches(@"\n    \(2001,1035\) SS 7 +# 2, 1 StackSliceNumber\n", text);
        Assert.Matches(@"\n    \(2001,1033\) CS \[RADIALMARKER\] +# 12, 1 StackRadialAxis\n", text);
        Assert.Matches(@"\(0029,1001\) UN .*# 6, 1 \(private\)\n", text);
    }

    [Fact]
    public void The_safe_private_allow_list_applies_inside_a_now_walkable_private_sequence()
    {
        var input = Path.Combine(root, "in.dcm");
        File.WriteAllBytes(input, ImplicitFile());
        var policy = new DeidentificationPolicy
        {
            Options = DeidentificationOptions.RetainSafePrivate,
            PrivateAllowList = [new SafePrivateAttribute(Philips, "0x5F"), new SafePrivateAttribute(Philips, "0x35")],
        };
        var key = new DeidentificationKey(Enumerable.Repeat((byte)5, 32).ToArray());

        var result = new DeidentificationEngine(key, policy).DeidentifyFile(input, Path.Combine(root, "out"));

        Assert.True(result.Status == DeidentificationStatus.Deidentified, result.Reason);
        var bytes = File.ReadAllBytes(result.OutputPath!);
        Assert.Equal(-1, bytes.AsSpan().IndexOf("RADIALMARKER"u8)); // not on the allow-list: removed inside the items too
        var output = DicomFile.Open(result.OutputPath!).Dataset;
        Assert.True(output.TryGetSequence(StackSequence, out var sequence));
        Assert.Equal(new short[] { 7, 8 }, sequence.Items.Select(i => i.GetValues<short>(StackSliceNumber)[0]).ToArray());
        Assert.All(sequence.Items, i => Assert.Equal(Philips, i.GetString(Creator)));
        Assert.Null(output[CardiacSync]);
        Assert.Null(output[UnknownElement]);
    }
}
