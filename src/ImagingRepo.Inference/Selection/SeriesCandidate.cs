using ImagingRepo.Dicom;

namespace ImagingRepo.Inference.Selection;

/// <summary>
/// A series found in a dataset or folder: its files, the header of its first instance (pixel data not read), and, in a
/// dataset, what <c>index.json</c> says about it. Rules read attributes from here.
/// </summary>
public sealed class SeriesCandidate
{
    /// <summary>Pseudo-attribute: the number of files of the series.</summary>
    public const string InstanceCountAttribute = "InstanceCount";

    /// <summary>Pseudo-attribute: the tags <c>index.json</c> gives the series (e.g. <c>Axial</c>, <c>T2W</c>).</summary>
    public const string IndexTagsAttribute = "IndexTags";

    /// <summary>Pseudo-attribute: the series folder's name.</summary>
    public const string FolderNameAttribute = "FolderName";

    /// <summary>Pseudo-attribute: the subject name of a dataset's study.</summary>
    public const string SubjectNameAttribute = "SubjectName";

    /// <summary>Creates a candidate.</summary>
    /// <param name="folder">The folder holding the files.</param>
    /// <param name="files">The series' files, sorted by name.</param>
    /// <param name="firstInstance">The header of the first file.</param>
    public SeriesCandidate(string folder, IReadOnlyList<string> files, DicomDataset firstInstance)
    {
        Folder = folder ?? throw new ArgumentNullException(nameof(folder));
        Files = files ?? throw new ArgumentNullException(nameof(files));
        FirstInstance = firstInstance ?? throw new ArgumentNullException(nameof(firstInstance));
    }

    /// <summary>The folder holding the files.</summary>
    public string Folder { get; }

    /// <summary>The series' files, sorted by name.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The header of the first file (pixel data not read).</summary>
    public DicomDataset FirstInstance { get; }

    /// <summary>Series Instance UID of the first instance (empty when absent).</summary>
    public string SeriesInstanceUid => FirstInstance.GetString(DicomTags.SeriesInstanceUID) ?? string.Empty;

    /// <summary>The tags <c>index.json</c> gives the series; empty outside a dataset.</summary>
    public IReadOnlyList<string> IndexTags { get; init; } = [];

    /// <summary>The study's subject name from <c>index.json</c>, or null outside a dataset.</summary>
    public string? SubjectName { get; init; }

    /// <summary>The study's id from <c>index.json</c>, or null outside a dataset.</summary>
    public string? StudyId { get; init; }

    /// <summary>The plane of the first instance's orientation, or null when it has none.</summary>
    public PlaneOrientation? Orientation
    {
        get
        {
            Span<double> cosines = stackalloc double[6];
            for (var i = 0; i < 6; i++)
            {
                if (!FirstInstance.TryGetDouble(DicomTags.ImageOrientationPatient, i, out cosines[i]))
                {
                    return null;
                }
            }

            return PlaneOrientations.Classify(cosines);
        }
    }

    /// <summary>The values of an attribute: a pseudo-attribute, a dictionary keyword or a tag <c>(GGGG,EEEE)</c>.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <returns>Its values (backslash-separated values split), empty when absent.</returns>
    public IReadOnlyList<string> GetValues(string attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        switch (attribute)
        {
            case InstanceCountAttribute:
                return [Files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            case IndexTagsAttribute:
                return IndexTags;
            case FolderNameAttribute:
                return [Path.GetFileName(Folder.TrimEnd(Path.DirectorySeparatorChar))];
            case SubjectNameAttribute:
                return SubjectName is null ? [] : [SubjectName];
        }

        if (!DicomTag.TryParse(attribute, out var tag))
        {
            throw new SelectionRuleException(attribute, "is neither a DICOM keyword, a tag (GGGG,EEEE), nor one of InstanceCount, IndexTags, FolderName, SubjectName");
        }

        if (FirstInstance[tag] is not DicomValueElement element)
        {
            return [];
        }

        if (element.VR.IsText())
        {
            return FirstInstance.GetStrings(tag);
        }

        var values = new List<string>();
        for (var i = 0; FirstInstance.TryGetDouble(tag, i, out var number); i++)
        {
            values.Add(number.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }

        return values;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Folder} ({Files.Count} files)";
}
