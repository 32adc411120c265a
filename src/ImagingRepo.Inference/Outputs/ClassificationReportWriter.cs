using System.Globalization;
using ImagingRepo.Dicom;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference.Outputs;

/// <summary>
/// Writes a classification as a Comprehensive SR: the finding (the best-scoring class) with every class's probability
/// as a numeric property, inferred from the source images (IMAGE references to every source instance), the algorithm's
/// name and version, the source listed as evidence, and the model as contributing equipment.
/// </summary>
public static class ClassificationReportWriter
{
    /// <summary>Comprehensive SR Storage.</summary>
    public const string ComprehensiveSRStorage = "1.2.840.10008.5.1.4.1.1.88.33";

    private static readonly CodedConcept Title = new("18748-4", "LN", "Diagnostic imaging report");
    private static readonly CodedConcept Finding = new("121071", "DCM", "Finding");
    private static readonly CodedConcept AlgorithmName = new("111001", "DCM", "Algorithm Name");
    private static readonly CodedConcept AlgorithmVersion = new("111003", "DCM", "Algorithm Version");
    private static readonly CodedConcept SourceImage = new("121112", "DCM", "Source of Measurement");
    private static readonly CodedConcept NoUnits = new("1", "UCUM", "no units");

    /// <summary>Builds the report.</summary>
    /// <param name="source">The classified series.</param>
    /// <param name="scores">Every class's probability.</param>
    /// <param name="context">Model, provider and time.</param>
    /// <returns>The file, ready to save.</returns>
    public static DicomFile Build(SourceSeries source, IReadOnlyList<ClassScore> scores, ResultContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(context);
        if (scores.Count == 0)
        {
            throw new ArgumentException("a classification needs at least one class score", nameof(scores));
        }

        var seriesUid = ResultUids.Derive("sr", "series", context.Model.Sha256, source.SeriesInstanceUid);
        var instanceUid = ResultUids.Derive("sr", "instance", context.Model.Sha256, source.SeriesInstanceUid);
        var dataset = DicomResultBuilder.Start(source, frameOfReference: false);
        DicomResultBuilder.Identify(dataset, context, ComprehensiveSRStorage, instanceUid, seriesUid, "SR", $"{context.Model.Name} {context.Model.Version} classification");
        dataset.Add(new DicomSequence(DicomTags.ReferencedPerformedProcedureStepSequence));
        dataset.Add(new DicomSequence(DicomTags.PerformedProcedureCodeSequence));
        dataset.SetString(DicomTags.CompletionFlag, DicomVR.CS, "COMPLETE");
        dataset.SetString(DicomTags.VerificationFlag, DicomVR.CS, "UNVERIFIED");
        dataset.Add(new DicomSequence(DicomTags.CurrentRequestedProcedureEvidenceSequence, Evidence(source)));

        if (scores.Any(s => s.Code.Scheme == ClassScore.PrivateScheme))
        {
            // a private coding scheme is declared where it is used (PS3.16 8.2)
            var scheme = new DicomDataset();
            scheme.SetString(DicomTags.CodingSchemeDesignator, DicomVR.SH, ClassScore.PrivateScheme);
            scheme.SetString(DicomTags.CodingSchemeName, DicomVR.ST, "ImagingRepo model classes without a standard code");
            scheme.SetString(DicomTags.CodingSchemeResponsibleOrganization, DicomVR.ST, "ImagingRepo");
            dataset.Add(new DicomSequence(DicomTags.CodingSchemeIdentificationSequence, scheme));
        }

        dataset.SetString(DicomTags.ValueType, DicomVR.CS, "CONTAINER");
        dataset.Add(new DicomSequence(DicomTags.ConceptNameCodeSequence, DicomResultBuilder.Code(Title)));
        dataset.SetString(DicomTags.ContinuityOfContent, DicomVR.CS, "SEPARATE");

        var best = scores.MaxBy(s => s.Score)!;
        var finding = Item("CONTAINS", "CODE", Finding);
        finding.Add(new DicomSequence(DicomTags.ConceptCodeSequence, DicomResultBuilder.Code(best.Code)));
        var properties = new List<DicomDataset>();
        foreach (var score in scores)
        {
            properties.Add(Number("HAS PROPERTIES", score.Code, score.Score));
        }

        foreach (var slice in source.Slices)
        {
            var image = Item("INFERRED FROM", "IMAGE", SourceImage);
            image.Add(new DicomSequence(DicomTags.ReferencedSOPSequence, DicomResultBuilder.InstanceReference(slice.SopClassUid, slice.SopInstanceUid)));
            properties.Add(image);
        }

        finding.Add(new DicomSequence(DicomTags.ContentSequence, properties));
        dataset.Add(new DicomSequence(
            DicomTags.ContentSequence,
            Text(AlgorithmName, context.Model.Name),
            Text(AlgorithmVersion, context.Model.Version),
            finding));
        return new DicomFile(dataset);
    }

    /// <summary>Builds the report and saves it atomically into a folder.</summary>
    /// <param name="folder">The output folder (created when missing).</param>
    /// <param name="source">The classified series.</param>
    /// <param name="scores">Every class's probability.</param>
    /// <param name="context">Model, provider and time.</param>
    /// <returns>The file written and its SOP Instance UID.</returns>
    public static (string Path, string SopInstanceUid) Write(string folder, SourceSeries source, IReadOnlyList<ClassScore> scores, ResultContext context)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var file = Build(source, scores, context);
        var uid = file.Dataset.GetString(DicomTags.SOPInstanceUID)!;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"SR_{uid}.dcm");
        file.Save(path);
        InferenceTelemetry.OutputsWritten.Add(1, new KeyValuePair<string, object?>("kind", "sr"));
        return (path, uid);
    }

    private static DicomDataset Evidence(SourceSeries source)
    {
        var series = new DicomDataset();
        series.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, source.SeriesInstanceUid);
        series.Add(new DicomSequence(DicomTags.ReferencedSOPSequence, source.Slices.Select(s => DicomResultBuilder.InstanceReference(s.SopClassUid, s.SopInstanceUid))));
        var study = new DicomDataset();
        study.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, source.StudyInstanceUid);
        study.Add(new DicomSequence(DicomTags.ReferencedSeriesSequence, series));
        return study;
    }

    private static DicomDataset Item(string relationship, string valueType, CodedConcept concept)
    {
        var item = new DicomDataset();
        item.SetString(DicomTags.RelationshipType, DicomVR.CS, relationship);
        item.SetString(DicomTags.ValueType, DicomVR.CS, valueType);
        item.Add(new DicomSequence(DicomTags.ConceptNameCodeSequence, DicomResultBuilder.Code(concept)));
        return item;
    }

    private static DicomDataset Text(CodedConcept concept, string value)
    {
        var item = Item("CONTAINS", "TEXT", concept);
        item.SetString(DicomTags.TextValue, DicomVR.UT, value);
        return item;
    }

    private static DicomDataset Number(string relationship, CodedConcept concept, double value)
    {
        var item = Item(relationship, "NUM", concept);
        var measured = new DicomDataset();
        measured.SetString(DicomTags.NumericValue, DicomVR.DS, Math.Round(value, 6).ToString("0.######", CultureInfo.InvariantCulture));
        measured.Add(new DicomSequence(DicomTags.MeasurementUnitsCodeSequence, DicomResultBuilder.Code(NoUnits)));
        item.Add(new DicomSequence(DicomTags.MeasuredValueSequence, measured));
        return item;
    }
}
