using ImagingRepo.Dicom;
using ImagingRepo.Dicom.IO;
using ImagingRepo.Service.Creation.Lake;

namespace ImagingRepo.Service.Creation.Metadata;

/// <summary>
/// What the first instance of a series says about the series, its study and its subject: the attributes the CHAIMELEON
/// service collects (age 0010,1010; sex 0010,0040; study date 0008,0020; body part 0018,0015; modality 0008,0060;
/// manufacturer 0008,0070; the project name in the private 70D1,2000). Only the header is read, never the pixel data.
/// </summary>
internal sealed record InstanceFacts(
    PatientAge? Age, string? Sex, DateOnly? StudyDate, string? BodyPart, string? Modality, string? Manufacturer, string? ProjectName)
{
    /// <summary>CHAIMELEON's private project name: "&lt;diagnosis&gt; &lt;subproject details&gt;", e.g. "Colon cancer CT_only".</summary>
    public static readonly DicomTag ProjectNameTag = new(0x70D1, 0x2000);

    private static readonly DicomReadOptions HeaderOnly = new() { StopAtTag = DicomTags.PixelData };

    /// <summary>The file taken as the series' first instance: the first <c>.dcm</c> in name order, else the first file.</summary>
    public static DataLakeFile? FirstInstanceOf(DataLakeSeries series) =>
        series.Files.FirstOrDefault(f => f.Name.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase)) ?? series.Files.FirstOrDefault();

    /// <summary>Reads the facts from <paramref name="file"/>'s header.</summary>
    /// <exception cref="DicomException">The file is not readable as DICOM.</exception>
    public static async Task<InstanceFacts> ReadAsync(IDataLake lake, DataLakeFile file, CancellationToken cancellationToken)
    {
        var stream = await lake.OpenReadAsync(file, cancellationToken);
        await using (stream)
        {
            var dataset = DicomFile.Read(stream, HeaderOnly).Dataset;
            return new InstanceFacts(
                PatientAge.TryParseDicom(dataset.GetString(DicomTags.PatientAge), out var age) ? age : null,
                Text(dataset, DicomTags.PatientSex)?.ToUpperInvariant() is ("M" or "F" or "O") and var sex ? sex : null,
                dataset.TryGetDate(DicomTags.StudyDate, out var date) ? date : null,
                Text(dataset, DicomTags.BodyPartExamined),
                Text(dataset, DicomTags.Modality),
                ManufacturerNames.Harmonize(Text(dataset, DicomTags.Manufacturer)),
                Text(dataset, ProjectNameTag));
        }
    }

    /// <summary>The diagnosis: the first two words of the project name ("Colon cancer"), as the CHAIMELEON service takes it.</summary>
    public string? Diagnosis => ProjectName is null ? null : string.Join(' ', ProjectName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2));

    private static string? Text(DicomDataset dataset, DicomTag tag)
    {
        // a private element read without its dictionary entry is UN: its padding is not trimmed by the VR's rules
        var value = dataset.GetString(tag)?.Trim(' ', '\0');
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
