using System.Buffers.Binary;
using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Dicom.Tests.IO;

/// <summary>The one-pass reader, lazy large values, chunked copies, strict mode and hostile lengths, on files made here.</summary>
public sealed class StreamingTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("imagingrepo-dicom-stream-");

    public void Dispose() => folder.Delete(recursive: true);

    private static DicomDataset Image(int pixelBytes)
    {
        var d = new DicomDataset();
        d.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        d.SetString(DicomTags.SOPInstanceUID, "2.25.1");
        d.SetString(DicomTags.PatientName, "Test^Patient");
        d.Add(new DicomSequence(DicomTags.ReferencedImageSequence,
            new DicomDataset(new DicomValueElement(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "2.25.2\0"u8.ToArray()))));
        var pixels = new byte[pixelBytes];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i * 31);
        }

        d.Add(new DicomValueElement(DicomTags.PixelData, DicomVR.OW, pixels));
        return d;
    }

    [Fact]
    public void Large_values_stay_in_the_file_and_are_copied_in_chunks()
    {
        var path = Path.Combine(folder.FullName, "big.dcm");
        new DicomFile(Image(1 << 20)).Save(path);

        var file = DicomFile.Open(path);
        var pixel = Assert.IsType<DicomValueElement>(file.Dataset[DicomTags.PixelData]);
        Assert.True(pixel.IsLazy);
        Assert.Equal(1 << 20, pixel.Length);
        Assert.True(pixel.Reference!.Offset > 132);

        // Edit the header and write elsewhere: the pixel data is streamed from the source file.
        file.Dataset.SetString(DicomTags.PatientName, "Anonymous");
        var copy = Path.Combine(folder.FullName, "copy.dcm");
        file.Save(copy);
        var back = DicomFile.Open(copy, new DicomReadOptions { LargeValueThreshold = int.MaxValue });
        Assert.Equal("Anonymous", back.Dataset.GetString(DicomTags.PatientName));
        Assert.True(((DicomValueElement)back.Dataset[DicomTags.PixelData]!).GetBytes().Span.SequenceEqual(pixel.GetBytes().Span));
    }

    [Fact]
    public void Big_endian_lazy_values_are_swapped_on_the_way_out()
    {
        var path = Path.Combine(folder.FullName, "be.dcm");
        var source = Image(200_000);
        new DicomFile(source, DicomTransferSyntax.ExplicitVRBigEndian).Save(path);
        var file = DicomFile.Open(path);
        Assert.True(((DicomValueElement)file.Dataset[DicomTags.PixelData]!).IsLazy);
        var expected = ((DicomValueElement)source[DicomTags.PixelData]!).GetBytes();
        Assert.True(((DicomValueElement)file.Dataset[DicomTags.PixelData]!).GetBytes().Span.SequenceEqual(expected.Span));
        var little = new MemoryStream();
        file.WriteTo(little, new DicomWriteOptions { TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian });
        var back = DicomFile.FromBytes(little.ToArray());
        Assert.True(((DicomValueElement)back.Dataset[DicomTags.PixelData]!).GetBytes().Span.SequenceEqual(expected.Span));
    }

    [Fact]
    public void The_stream_reader_walks_tokens_with_depth()
    {
        var bytes = new MemoryStream();
        new DicomFile(Image(100)).WriteTo(bytes);
        using var reader = DicomStreamReader.FromBytes(bytes.ToArray());
        var tokens = new List<string>();
        while (reader.Read())
        {
            tokens.Add($"{reader.Depth}:{reader.TokenType}:{reader.Tag}");
        }

        Assert.Equal(
            [
                "0:Element:(0008,0016)", "0:Element:(0008,0018)", "0:Element:(0008,1140)".Replace("Element", "SequenceStart"),
                "1:ItemStart:(FFFE,E000)", "2:Element:(0008,1155)", "1:ItemEnd:(FFFE,E000)", "0:SequenceEnd:(0008,1140)",
                "0:Element:(0010,0010)", "0:Element:(7FE0,0010)",
            ],
            tokens);
    }

    [Fact]
    public void Reading_can_stop_before_pixel_data()
    {
        var bytes = new MemoryStream();
        new DicomFile(Image(100)).WriteTo(bytes);
        var file = DicomFile.FromBytes(bytes.ToArray(), new DicomReadOptions { StopAtTag = DicomTags.PixelData });
        Assert.False(file.Dataset.Contains(DicomTags.PixelData));
        Assert.True(file.Dataset.Contains(DicomTags.PatientName));
    }

    [Fact]
    public void Truncation_is_a_diagnostic_when_lenient_and_an_error_when_strict()
    {
        var bytes = new MemoryStream();
        new DicomFile(Image(1000)).WriteTo(bytes);
        var cut = bytes.ToArray()[..^100];
        var lenient = DicomFile.FromBytes(cut);
        Assert.Contains(lenient.Diagnostics, d => d.Tag == DicomTags.PixelData && d.Message.Contains("truncated", StringComparison.Ordinal));
        Assert.Contains(lenient.Diagnostics, d => d.Kind == DicomDiagnosticKind.Truncated);
        var error = Assert.Throws<DicomReadException>(() => DicomFile.FromBytes(cut, new DicomReadOptions { Strict = true }));
        Assert.Equal(DicomTags.PixelData, error.Tag);
        Assert.True(error.Offset > 0);
    }

    [Fact]
    public void A_hostile_length_on_a_non_seekable_stream_allocates_only_what_is_there()
    {
        var bytes = new MemoryStream();
        new DicomFile(Image(10)).WriteTo(bytes);
        var data = bytes.ToArray();
        // PixelData header: OW, 2 reserved bytes, then the 32-bit length; claim almost 4 GiB.
        var at = data.AsSpan().LastIndexOf("OW"u8);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + 4), 0xFFFFFFF0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var file = DicomFile.Read(new NonSeekableStream(data));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20);
        Assert.NotEmpty(file.Diagnostics);
    }

    [Fact]
    public void Deflated_files_round_trip()
    {
        var bytes = new MemoryStream();
        new DicomFile(Image(5000)).WriteTo(bytes, new DicomWriteOptions { TransferSyntax = DicomTransferSyntax.DeflatedExplicitVRLittleEndian });
        var file = DicomFile.FromBytes(bytes.ToArray());
        Assert.Equal(DicomTransferSyntax.DeflatedExplicitVRLittleEndian, file.TransferSyntax);
        Assert.Empty(DatasetAssert.Differences(Image(5000), file.Dataset));
    }

    [Fact]
    public void Garbage_is_rejected_with_the_typed_exception()
    {
        Assert.Throws<DicomReadException>(() => DicomFile.FromBytes("not a dicom file at all, just text"u8.ToArray()));
        Assert.Throws<DicomReadException>(() => DicomFile.FromBytes([]));
    }

    private sealed class NonSeekableStream(byte[] data) : Stream
    {
        private readonly MemoryStream inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void A_missing_sequence_delimiter_at_the_end_is_not_truncation()
    {
        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.88.11");
        dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4");
        var item = new DicomDataset();
        item.SetString(DicomTags.PatientName, DicomVR.PN, "Item^Text");
        dataset.Add(new DicomSequence(new DicomTag(0x0040A730), item));
        var bytes = new MemoryStream();
        new DicomFile(dataset).WriteTo(bytes);
        var written = bytes.ToArray();
        Assert.Equal([0xFE, 0xFF, 0xDD, 0xE0], written[^8..^4]); // the sequence delimiter is last

        var file = DicomFile.FromBytes(written[..^8]);

        Assert.Equal("Item^Text", Assert.Single(((DicomSequence)file.Dataset[new DicomTag(0x0040A730)]!).Items).GetString(DicomTags.PatientName));
        Assert.Contains(file.Diagnostics, d => d.Kind == DicomDiagnosticKind.MissingDelimiter);
        Assert.DoesNotContain(file.Diagnostics, d => d.Kind == DicomDiagnosticKind.Truncated);
    }
}
