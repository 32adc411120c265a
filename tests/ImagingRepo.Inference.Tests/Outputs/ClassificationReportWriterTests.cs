using ImagingRepo.Dicom;
using ImagingRepo.Inference.Outputs;
using ImagingRepo.Inference.Runtime;

namespace ImagingRepo.Inference.Tests.Outputs;

public sealed class ClassificationReportWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("imagingrepo-sr-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly ModelLabel Benign = new() { Value = 0, Name = "Benign" };

    private static readonly ModelLabel Malignant = new() { Value = 1, Name = "Malignant", Type = new CodedConcept("363358000", "SCT", "Malignant tumor of lung") };

    [SkippableFact]
    public void The_report_passes_dciodvfy_and_pydicom_reads_the_finding_scores_and_evidence()
    {
        var ct = new SyntheticCt { Slices = 5 };
        var (path, _) = ClassificationReportWriter.Write(_folder, SyntheticSource.From(ct), [new ClassScore(Benign, 0.25), new ClassScore(Malignant, 0.75)], SegmentationWriterTests.Context());

        var (errors, warnings) = ExternalTools.Dciodvfy(path);
        // dciodvfy knows only the registered coding schemes; the private one is declared in Coding Scheme Identification
        warnings.RemoveAll(w => w.Contains("<99IMGREPO>", StringComparison.Ordinal));
        Assert.True(errors.Count == 0 && warnings.Count == 0, string.Join('\n', errors.Concat(warnings)));

        var output = ExternalTools.Python("""
            import sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            finding = ds.ContentSequence[2]
            print(finding.ConceptCodeSequence[0].CodeMeaning)
            for item in finding.ContentSequence:
                if item.ValueType == "NUM":
                    print(item.ConceptNameCodeSequence[0].CodeMeaning, item.MeasuredValueSequence[0].NumericValue)
                else:
                    print(item.RelationshipType, item.ReferencedSOPSequence[0].ReferencedSOPInstanceUID)
            """, path);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Malignant tumor of lung", lines[0]);
        Assert.Equal("Benign 0.25", lines[1]);
        Assert.Equal("Malignant tumor of lung 0.75", lines[2]);
        Assert.Equal(Enumerable.Range(0, 5).Select(k => "INFERRED FROM " + ct.SopInstanceUid(k)), lines[3..]);
    }

    [Fact]
    public void The_evidence_lists_every_source_instance_under_its_study_and_series()
    {
        var ct = new SyntheticCt { Slices = 4 };
        var dataset = ClassificationReportWriter.Build(SyntheticSource.From(ct), [new ClassScore(Benign, 1)], SegmentationWriterTests.Context()).Dataset;

        Assert.True(dataset.TryGetSequence(DicomTags.CurrentRequestedProcedureEvidenceSequence, out var evidence));
        Assert.Equal(ct.StudyUid, evidence.Items[0].GetString(DicomTags.StudyInstanceUID));
        Assert.True(evidence.Items[0].TryGetSequence(DicomTags.ReferencedSeriesSequence, out var series));
        Assert.True(series.Items[0].TryGetSequence(DicomTags.ReferencedSOPSequence, out var instances));
        Assert.Equal(Enumerable.Range(0, 4).Select(ct.SopInstanceUid), instances.Items.Select(i => i.GetString(DicomTags.ReferencedSOPInstanceUID)));
    }
}
