namespace ImagingRepo.Client.Datasets.InSitu;

/// <summary>A series selected for the dataset: a folder of DICOM files in the study folder. Its files are listed on first use.</summary>
public sealed class DatasetSeries
{
    private readonly Lazy<IReadOnlyList<DatasetInstance>> _instances;

    internal DatasetSeries(DatasetStudy study, string folderName, IReadOnlyList<string> tags)
    {
        Study = study;
        FolderName = folderName;
        Tags = tags;
        _instances = new Lazy<IReadOnlyList<DatasetInstance>>(ListInstances);
    }

    /// <summary>The study the series belongs to.</summary>
    public DatasetStudy Study { get; }

    /// <summary>The series folder's name within the study folder.</summary>
    public string FolderName { get; }

    /// <summary>The tags the platform gave the series (e.g. <c>Axial</c>, <c>T2W</c>).</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>The series path relative to the dataset folder (<c>study path/folder name</c>).</summary>
    public string RelativePath => Study.RelativePath.TrimEnd('/') + "/" + FolderName;

    /// <summary>The series folder's absolute path.</summary>
    public string FullPath => Path.Combine(Study.Dataset.FullPath, RelativePath);

    /// <summary>The series' files in ordinal name order (the order the hash tree uses), listed on first use.</summary>
    /// <exception cref="DatasetFolderException">The series folder is missing.</exception>
    public IReadOnlyList<DatasetInstance> Instances => _instances.Value;

    /// <summary>The series path.</summary>
    public override string ToString() => RelativePath;

    private List<DatasetInstance> ListInstances()
    {
        if (!Directory.Exists(FullPath)) throw new DatasetFolderException($"series folder not found: {RelativePath} (listed in index.json)");
        var files = Directory.GetFiles(FullPath);
        Array.Sort(files, StringComparer.Ordinal);
        return [.. files.Select(f => new DatasetInstance(this, f))];
    }
}
