using System.Text;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Dicom.Tests.IO;

/// <summary>
/// An explicit-VR element whose VR bytes are two spaces is read as an unknown VR with a 2-byte length, as dcmtk and GDCM
/// do, so everything after it is recovered (lenient), or refused with the offset and tag (strict).
/// </summary>
public sealed class BlankVRTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("blank-vr-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>A small explicit-VR file whose Patient ID (0010,0020) has its VR bytes patched to 0x20 0x20.</summary>
    private static (byte[] Bytes, int HeaderOffset) BlankVRFile()
    {
        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        dataset.SetString(DicomTags.SOPInstanceUID, "2.25.4242");
        dataset.SetString(DicomTags.StudyInstanceUID, "2.25.4243");
        dataset.SetString(DicomTags.SeriesInstanceUID, "2.25.4244");
        dataset.SetString(DicomTags.PatientName, "Doe^John");
        dataset.SetString(DicomTags.PatientID, "12345");
        dataset.SetString(DicomTags.PatientBirthDate, "19700101");
        dataset.Add(new DicomSequence(DicomTags.ReferencedImageSequence,
            new DicomDataset(new DicomValueElement(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "2.25.8\0"u8.ToArray()))));
        dataset.SetValues<ushort>(DicomTags.Rows, DicomVR.US, 512);
        using var stream = new MemoryStream();
        new DicomFile(dataset).WriteTo(stream);
        var bytes = stream.ToArray();
        var header = bytes.AsSpan().IndexOf(new byte[] { 0x10, 0x00, 0x20, 0x00, (byte)'L', (byte)'O' });
        Assert.True(header > 132);
        bytes[header + 4] = 0x20;
        bytes[header + 5] = 0x20;
        return (bytes, header);
    }

    [Fact]
    public void Lenient_reading_keeps_the_element_as_UN_and_recovers_everything_after_it()
    {
        var (bytes, offset) = BlankVRFile();

        var file = DicomFile.FromBytes(bytes);

        var patientId = Assert.IsType<DicomValueElement>(file.Dataset[DicomTags.PatientID]);
        Assert.Equal(DicomVR.UN, patientId.VR);
        Assert.Equal("12345 ", Encoding.ASCII.GetString(patientId.GetBytes().Span));
        Assert.Equal("19700101", file.Dataset.GetString(DicomTags.PatientBirthDate));
        Assert.True(file.Dataset.TryGetSequence(DicomTags.ReferencedImageSequence, out var sequence));
        Assert.Equal("2.25.8", Assert.Single(sequence.Items).GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.True(file.Dataset.TryGetInt32(DicomTags.Rows, out var rows));
        Assert.Equal(512, rows);
        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(DicomTags.PatientID, diagnostic.Tag);
        Assert.Equal(offset, diagnostic.Offset);
        Assert.Equal(DicomDiagnosticKind.Malformed, diagnostic.Kind);
        Assert.Contains("two spaces", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_stream_reader_gives_the_same_tokens()
    {
        var (bytes, _) = BlankVRFile();
        using var reader = DicomStreamReader.FromBytes(bytes);
        var tags = new List<(DicomTag, DicomVR)>();
        while (reader.Read())
        {
            if (reader.TokenType == DicomTokenType.Element && reader.Depth == 0)
            {
                tags.Add((reader.Tag, reader.VR));
            }
        }

        Assert.Contains((DicomTags.PatientID, DicomVR.UN), tags);
        Assert.Equal((DicomTags.Rows, DicomVR.US), tags[^1]);
    }

    [Fact]
    public void Strict_reading_refuses_it_with_the_offset_and_tag()
    {
        var (bytes, offset) = BlankVRFile();

        var e = Assert.Throws<DicomReadException>(() => DicomFile.FromBytes(bytes, new DicomReadOptions { Strict = true }));

        Assert.Equal(DicomTags.PatientID, e.Tag);
        Assert.Equal(offset, e.Offset);
        Assert.Contains("two spaces", e.Problem, StringComparison.Ordinal);
        Assert.Contains("(0010,0020)", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Dcmdump_reads_the_same_elements()
    {
        var dcmdump = CorpusFiles.RequireTool("dcmdump");
        var (bytes, _) = BlankVRFile();
        var path = Path.Combine(root, "blank.dcm");
        File.WriteAllBytes(path, bytes);

        var dump = CorpusFiles.Run(dcmdump, "-q", "+L", path)!.Value;
        var theirs = Encoding.Latin1.GetString(dump.Output).Split('\n')
            .Where(l => l.StartsWith('(') && !l.StartsWith("(0002", StringComparison.Ordinal) && !l.StartsWith("(fffe", StringComparison.Ordinal))
            .Select(l => l[..11].ToUpperInvariant())
            .ToList();
        var ours = DicomFile.FromBytes(bytes).Dataset.Select(e => e.Tag.ToString()).ToList();

        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void De_identification_succeeds_and_replaces_the_patient_id()
    {
        var (bytes, _) = BlankVRFile();
        var input = Path.Combine(root, "in.dcm");
        File.WriteAllBytes(input, bytes);
        var key = new DeidentificationKey(Enumerable.Repeat((byte)9, 32).ToArray());

        var result = new DeidentificationEngine(key).DeidentifyFile(input, Path.Combine(root, "out"), Path.Combine(root, "quarantine"));

        Assert.True(result.Status == DeidentificationStatus.Deidentified, result.Reason);
        var output = DicomFile.Open(result.OutputPath!);
        Assert.NotEqual("12345", output.Dataset.GetString(DicomTags.PatientID));
        Assert.True(output.Dataset[DicomTags.PatientBirthDate] is null or DicomValueElement { Length: 0 });
        Assert.Empty(output.Diagnostics);
    }
}
