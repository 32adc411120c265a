using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;

namespace ImagingRepo.Dicom.Tests.IO;

/// <summary>Every Part 10 file we write says File Meta Information Version 00\01 (PS3.10 7.1), whatever the input said.</summary>
public sealed class FileMetaVersionTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("meta-version-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static DicomFile WithVersion(byte[]? version, DicomVR vr)
    {
        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        dataset.SetString(DicomTags.SOPInstanceUID, "2.25.1234");
        dataset.SetString(DicomTags.StudyInstanceUID, "2.25.1235");
        dataset.SetString(DicomTags.SeriesInstanceUID, "2.25.1236");
        dataset.SetString(DicomTags.PatientID, "P1");
        dataset.SetString(DicomTags.PatientName, "Doe^Jane");
        var file = new DicomFile(dataset);
        if (version is not null)
        {
            file.FileMetaInformation.Add(new DicomValueElement(DicomTags.FileMetaInformationVersion, vr, version));
        }

        return file;
    }

    private static byte[] Write(DicomFile file)
    {
        using var stream = new MemoryStream();
        file.WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>A file as another writer would have written it: our bytes with the version value patched.</summary>
    private static byte[] WrittenWithVersion(byte first, byte second)
    {
        var bytes = Write(WithVersion(null, DicomVR.OB));
        var at = bytes.AsSpan().IndexOf(new byte[] { 0x02, 0x00, 0x01, 0x00, (byte)'O', (byte)'B', 0x00, 0x00, 0x02, 0x00, 0x00, 0x00 });
        Assert.True(at > 0);
        bytes[at + 12] = first;
        bytes[at + 13] = second;
        return bytes;
    }

    public static TheoryData<byte[]?, string> Inputs => new()
    {
        { new byte[] { 0x01, 0x00 }, "OB" },
        { new byte[] { 0x01, 0x01 }, "OB" },
        { new byte[] { 0x00, 0x01 }, "OB" },
        { new byte[] { 0x00, 0x02, 0x00, 0x00 }, "OB" },
        { new byte[] { 0x00, 0x01 }, "UN" },
        { null, "OB" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void The_writer_writes_00_01_as_OB_whatever_the_input_had(byte[]? version, string vr)
    {
        var bytes = Write(WithVersion(version, Enum.Parse<DicomVR>(vr)));

        var back = DicomFile.FromBytes(bytes);
        var element = Assert.IsType<DicomValueElement>(back.FileMetaInformation[DicomTags.FileMetaInformationVersion]);
        Assert.Equal(DicomVR.OB, element.VR);
        Assert.Equal(new byte[] { 0x00, 0x01 }, element.GetBytes().ToArray());
        Assert.Empty(back.Diagnostics); // the group length still matches
    }

    [Fact]
    public void A_read_file_with_version_01_00_is_rewritten_with_00_01()
    {
        var read = DicomFile.FromBytes(WrittenWithVersion(0x01, 0x00));
        Assert.Equal(new byte[] { 0x01, 0x00 }, ((DicomValueElement)read.FileMetaInformation[DicomTags.FileMetaInformationVersion]!).GetBytes().ToArray());

        var rewritten = DicomFile.FromBytes(Write(read));
        Assert.Equal(new byte[] { 0x00, 0x01 }, ((DicomValueElement)rewritten.FileMetaInformation[DicomTags.FileMetaInformationVersion]!).GetBytes().ToArray());
    }

    [Fact]
    public void De_identified_output_says_00_01()
    {
        var input = Path.Combine(root, "in.dcm");
        File.WriteAllBytes(input, WrittenWithVersion(0x01, 0x01));
        Assert.Equal(new byte[] { 0x01, 0x01 }, ((DicomValueElement)DicomFile.Open(input).FileMetaInformation[DicomTags.FileMetaInformationVersion]!).GetBytes().ToArray());

        var key = new DeidentificationKey(Enumerable.Repeat((byte)7, 32).ToArray());
        var result = new DeidentificationEngine(key).DeidentifyFile(input, Path.Combine(root, "out"));

        Assert.True(result.Status == DeidentificationStatus.Deidentified, result.Reason);
        var output = DicomFile.Open(result.OutputPath!);
        var element = Assert.IsType<DicomValueElement>(output.FileMetaInformation[DicomTags.FileMetaInformationVersion]);
        Assert.Equal(DicomVR.OB, element.VR);
        Assert.Equal(new byte[] { 0x00, 0x01 }, element.GetBytes().ToArray());
    }
}
