using BenchmarkDotNet.Attributes;
using ImagingRepo.Dicom;
using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;

namespace ImagingRepo.Benchmarks.Dicom;

/// <summary>
/// The in-memory work per instance of the small corpus (a 2.4 KB Basic Text SR), stage by stage: parse, parse and apply
/// the Basic Profile (UIDs and dates pseudonymized), and that rewritten into a reused buffer. The whole-process figures
/// are <c>benchmarks/peers/deid.sh</c>'s; this shows where a file's CPU time and allocations go.
/// </summary>
[MemoryDiagnoser]
public class DeidentifyInstanceBenchmarks
{
    private readonly MemoryStream _output = new(8192);
    private byte[] _sr = [];
    private DeidentificationEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var stream = new MemoryStream();
        new DicomFile(SyntheticDicomCorpus.BuildSr(3, 7)).WriteTo(stream);
        _sr = stream.ToArray();
        var key = new DeidentificationKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        _engine = new DeidentificationEngine(key, DeidentificationPolicy.Default with
        {
            Options = DeidentificationOptions.RetainLongitudinalModifiedDates,
        });
    }

    [Benchmark(Baseline = true)]
    public int Parse() => DicomFile.FromBytes(_sr).Dataset.Count;

    [Benchmark]
    public int ParseAndProfile()
    {
        var dataset = DicomFile.FromBytes(_sr).Dataset;
        _engine.DeidentifyDataset(dataset);
        return dataset.Count;
    }

    [Benchmark]
    public long ParseProfileAndWrite()
    {
        var file = DicomFile.FromBytes(_sr);
        _engine.DeidentifyDataset(file.Dataset);
        _output.SetLength(0);
        file.WriteTo(_output);
        return _output.Length;
    }
}
