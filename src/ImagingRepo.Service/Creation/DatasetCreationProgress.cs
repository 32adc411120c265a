namespace ImagingRepo.Service.Creation;

/// <summary>The steps of a dataset creation, in order.</summary>
public enum DatasetCreationStage
{
    /// <summary>Checking that each study is in the data lake and listing its series.</summary>
    CheckingStudies,

    /// <summary>Reading the first instance of each series.</summary>
    ReadingMetadata,

    /// <summary>Creating the subject folders and links, writing index.json and eforms.json.</summary>
    LayingOut,

    /// <summary>Computing the hash tree.</summary>
    Hashing,

    /// <summary>Recording the CREATE_DATASET trace and storing the results.</summary>
    Recording,
}

/// <summary>Where a dataset creation stands; <see cref="ToString"/> is the operation's last message.</summary>
/// <param name="Stage">The step.</param>
/// <param name="Done">Items of the step done (studies, series), when the step counts them.</param>
/// <param name="Total">Items of the step in all; 0 when it does not count.</param>
public readonly record struct DatasetCreationProgress(DatasetCreationStage Stage, int Done = 0, int Total = 0)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var text = Stage switch
        {
            DatasetCreationStage.CheckingStudies => "Checking the studies in the data lake",
            DatasetCreationStage.ReadingMetadata => "Reading the metadata of the series",
            DatasetCreationStage.LayingOut => "Creating the links to the studies",
            DatasetCreationStage.Hashing => "Calculating the hashes of the dataset",
            _ => "Recording the creation",
        };
        return Total > 0 ? $"{text} ({Done}/{Total})..." : text + "...";
    }
}
