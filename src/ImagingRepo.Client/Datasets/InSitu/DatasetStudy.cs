namespace ImagingRepo.Client.Datasets.InSitu;

/// <summary>A study of the dataset, as <c>index.json</c> lists it.</summary>
public sealed class DatasetStudy
{
    internal DatasetStudy(DatasetFolder dataset, string studyId, string studyName, string subjectName, string relativePath, Uri? url,
        IReadOnlyList<(string FolderName, IReadOnlyList<string> Tags)> series)
    {
        Dataset = dataset;
        StudyId = studyId;
        StudyName = studyName;
        SubjectName = subjectName;
        RelativePath = relativePath;
        Url = url;
        Series = [.. series.Select(s => new DatasetSeries(this, s.FolderName, s.Tags))];
    }

    /// <summary>The dataset the study belongs to.</summary>
    public DatasetFolder Dataset { get; }

    /// <summary>The study's id in the platform's case explorer.</summary>
    public string StudyId { get; }

    /// <summary>The study's name in the case explorer.</summary>
    public string StudyName { get; }

    /// <summary>The pseudonymous subject name (the key into <c>eforms.json</c>).</summary>
    public string SubjectName { get; }

    /// <summary>The study folder relative to the dataset folder (<c>subject/study</c>).</summary>
    public string RelativePath { get; }

    /// <summary>The study folder's absolute path (usually a link into the data lake).</summary>
    public string FullPath => Path.Combine(Dataset.FullPath, RelativePath);

    /// <summary>Where the study is shown in the case explorer, or null.</summary>
    public Uri? Url { get; }

    /// <summary>The series selected for the dataset, in index order. Walk only these: the study folder may hold others.</summary>
    public IReadOnlyList<DatasetSeries> Series { get; }

    /// <summary>The subject's clinical form, or null when <c>eforms.json</c> has no entry for it.</summary>
    public DatasetSubject? Subject => Dataset.FindSubject(SubjectName);

    /// <summary>The study path.</summary>
    public override string ToString() => RelativePath;
}
