namespace ImagingRepo.Service.Datasets;

/// <summary>A dataset as the database keeps it: its descriptive properties, its flags and its collected metadata.</summary>
internal sealed class DatasetRecord
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string Version { get; set; } = "";
    public required string Project { get; init; }
    public string Subproject { get; set; } = "";
    public string? PreviousId { get; set; }
    public string? NextId { get; set; }
    public required string AuthorId { get; set; }
    public required string AuthorName { get; set; }
    public string AuthorEmail { get; set; } = "";
    public required DateTimeOffset CreationDate { get; init; }
    public string Description { get; set; } = "";
    public string Provenance { get; set; } = "";
    public string Purpose { get; set; } = "";
    public IReadOnlyList<string> Types { get; set; } = [];
    public IReadOnlyList<string> CollectionMethods { get; set; } = [];
    public IReadOnlyList<string> Tags { get; set; } = [];
    public string LicenseTitle { get; set; } = "";
    public string LicenseUrl { get; set; } = "";
    public string? PidPreferred { get; set; }
    public string? PidZenodoDoi { get; set; }
    public string? PidCustom { get; set; }
    public string ContactInfo { get; set; } = "";
    public bool Draft { get; set; } = true;
    public bool Creating { get; set; } = true;
    public bool Public { get; set; }
    public bool PublicUse { get; set; }
    public bool Invalidated { get; set; }
    public string? InvalidationReason { get; set; }
    public bool External { get; set; }
    public bool Corrupted { get; set; }
    public DateTimeOffset? LastIntegrityCheck { get; set; }
    public int StudiesCount { get; set; }
    public int SubjectsCount { get; set; }
    public long? SizeInBytes { get; set; }

    /// <summary>The MIABIS aggregates as JSON (<see cref="DatasetMetadata"/>), null until collected.</summary>
    public string? Metadata { get; set; }
    public int TimesUsed { get; set; }

    /// <summary>Counts every change: the entity tag of the dataset's representations.</summary>
    public long Revision { get; set; } = 1;

    /// <summary>Where the dataset stands in its lifecycle.</summary>
    public DatasetState State => DatasetStates.Of(this);
}
