using BenchmarkDotNet.Attributes;
using ImagingRepo.Dicom;
using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Benchmarks.Dicom;

/// <summary>Parsing one CT header, one enhanced MR header (300 per-frame items), and element access on a parsed dataset.</summary>
[MemoryDiagnoser]
public class DicomParseBenchmarks
{
    private byte[] ctHeader = [];
    private byte[] mrHeader = [];
    private DicomDataset parsedCt = new();

    [GlobalSetup]
    public void Setup()
    {
        ctHeader = Serialize(SyntheticDicomCorpus.BuildCt(1, 1, new byte[16]));
        mrHeader = Serialize(SyntheticDicomCorpus.BuildEnhancedMr(1, 300, new byte[16]));
        parsedCt = DicomFile.FromBytes(ctHeader).Dataset;
    }

    private static byte[] Serialize(DicomDataset dataset)
    {
        using var stream = new MemoryStream();
        new DicomFile(dataset).WriteTo(stream);
        return stream.ToArray();
    }

    [Benchmark]
    public int ParseCtHeader() => DicomFile.FromBytes(ctHeader).Dataset.Count;

    [Benchmark]
    public int ParseEnhancedMrHeader() => DicomFile.FromBytes(mrHeader).Dataset.Count;

    [Benchmark]
    public int StreamCtHeader()
    {
        using var reader = DicomStreamReader.FromBytes(ctHeader);
        var count = 0;
        while (reader.Read())
        {
            count++;
        }

        return count;
    }

    [Benchmark]
    public double ElementAccess()
    {
        var d = parsedCt;
        d.TryGetInt32(DicomTags.Rows, out var rows);
        d.TryGetDouble(DicomTags.SliceThickness, out var thickness);
        d.TryGetDate(DicomTags.StudyDate, out var date);
        var uid = d.GetString(DicomTags.SOPInstanceUID);
        var name = d.GetString(DicomTags.PatientName);
        return rows + thickness + date.Day + uid!.Length + name!.Length;
    }
}
