using System.Buffers;
using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Dicom.Tests;

/// <summary>The examples of docs/dicom.md, compiled and run so that the documentation cannot drift from the API.</summary>
public sealed class DocsExamples : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("imagingrepo-docs-");

    public void Dispose() => folder.Delete(recursive: true);

    private string MakeFile()
    {
        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        dataset.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        dataset.SetString(DicomTags.SOPInstanceUID, "2.25.42");
        dataset.SetString(DicomTags.PatientName, "Müller^Anna");
        dataset.SetString(DicomTags.PatientID, "P-001");
        dataset.SetString(DicomTags.StudyDate, "20240315");
        dataset.SetString(DicomTags.PixelSpacing, "0.5\\0.5");
        dataset.SetValues<ushort>(DicomTags.Rows, DicomVR.US, 512);
        dataset.Add(new DicomSequence(DicomTags.ReferencedImageSequence, new DicomDataset()));
        dataset.Add(new DicomValueElement(DicomTags.PixelData, DicomVR.OW, new byte[512 * 512 * 2]));
        var path = Path.Combine(folder.FullName, "image.dcm");
        new DicomFile(dataset).Save(path);
        return path;
    }

    [Fact]
    public void Reading_and_typed_access()
    {
        var path = MakeFile();

        // --- docs: reading ---
        var file = DicomFile.Open(path);                       // pixel data stays in the file
        var dataset = file.Dataset;
        string? name = dataset.GetString(DicomTags.PatientName); // "Müller^Anna", decoded with (0008,0005)
        dataset.TryGetDate(DicomTags.StudyDate, out DateOnly studyDate);
        dataset.TryGetDouble(DicomTags.PixelSpacing, 1, out double columnSpacing);
        dataset.TryGetInt32(DicomTags.Rows, out int rows);
        dataset.TryGetPersonName(DicomTags.PatientName, out DicomPersonName? person);
        foreach (var diagnostic in file.Diagnostics)
        {
            Console.WriteLine(diagnostic);                       // what the lenient reader worked around
        }
        // --- end ---

        Assert.Equal("Müller^Anna", name);
        Assert.Equal(new DateOnly(2024, 3, 15), studyDate);
        Assert.Equal(0.5, columnSpacing);
        Assert.Equal(512, rows);
        Assert.Equal("Müller", person?.Alphabetic.FamilyName);
    }

    [Fact]
    public void Editing_and_writing()
    {
        var path = MakeFile();
        var output = Path.Combine(folder.FullName, "out.dcm");

        // --- docs: editing ---
        var file = DicomFile.Open(path);
        file.Dataset.SetString(DicomTags.PatientName, "Anonymous");
        file.Dataset.Remove(DicomTags.PatientID);
        file.Dataset.RemoveAll(element => element.Tag.IsPrivate);
        foreach (var (element, depth) in file.Dataset.Walk())
        {
            // every element at every nesting level
        }

        file.Save(output, new DicomWriteOptions
        {
            TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian, // or implicit, big endian, deflated
        });
        // --- end ---

        var back = DicomFile.Open(output);
        Assert.Equal("Anonymous", back.Dataset.GetString(DicomTags.PatientName));
        Assert.False(back.Dataset.Contains(DicomTags.PatientID));
    }

    [Fact]
    public void Streaming_one_pass()
    {
        var path = MakeFile();

        // --- docs: streaming ---
        using var reader = DicomStreamReader.Open(path);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case DicomTokenType.Element when reader.HasValueReference:
                    DicomValueReference large = reader.ValueReference!; // (source, offset, length): not read
                    break;
                case DicomTokenType.Element:
                    ReadOnlySpan<byte> value = reader.ValueSpan;        // valid until the next Read()
                    break;
                case DicomTokenType.SequenceStart:
                case DicomTokenType.ItemStart:
                    // reader.Depth tells the nesting level
                    break;
            }
        }
        // --- end ---

        Assert.Empty(reader.Diagnostics);
    }

    [Fact]
    public void Copy_speed_deidentification()
    {
        var path = MakeFile();
        var output = Path.Combine(folder.FullName, "deid.dcm");

        // --- docs: copy ---
        // Header into memory, pixel data as a reference; the writer copies the reference from the
        // source in 128 KiB chunks, so memory stays flat whatever the file size.
        var file = DicomFile.Open(path, new DicomReadOptions { LargeValueThreshold = 64 * 1024 });
        file.Dataset.SetString(DicomTags.PatientName, "Anonymous");
        file.Save(output);                                        // temp file + rename
        // --- end ---

        var pixel = (DicomValueElement)DicomFile.Open(output).Dataset[DicomTags.PixelData]!;
        Assert.Equal(512 * 512 * 2, pixel.Length);
    }

    [Fact]
    public void Dump_listing()
    {
        var path = MakeFile();

        // --- docs: dump ---
        var text = new ArrayBufferWriter<byte>();
        DicomDumper.DumpFile(path, text, new DicomDumpOptions { MaxTextLength = 64 });
        // --- end ---

        Assert.Contains("(0010,0010) PN [Müller^Anna]", System.Text.Encoding.UTF8.GetString(text.WrittenSpan), StringComparison.Ordinal);
    }
}
