namespace ImagingRepo.Client.Datasets;

/// <summary>Everything the service tells about a dataset (<c>DatasetDetails</c>).</summary>
public sealed record DatasetDetails
{
    /// <summary>The dataset id (<c>id</c>).</summary>
    public string? Id { get; init; }

    /// <summary>Its short name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Its version label (<c>version</c>).</summary>
    public string? Version { get; init; }

    /// <summary>The code of its project (<c>project</c>).</summary>
    public string? Project { get; init; }

    /// <summary>The code of the subproject (collection) its data is stored under in the lake (<c>subproject</c>).</summary>
    public string? Subproject { get; init; }

    /// <summary>The dataset this one is a new version of, or null (<c>previousId</c>).</summary>
    public string? PreviousId { get; init; }

    /// <summary>The released new version of this dataset, or null (<c>nextId</c>).</summary>
    public string? NextId { get; init; }

    /// <summary>The creator's user id (<c>authorId</c>).</summary>
    public string? AuthorId { get; init; }

    /// <summary>The creator's name (<c>authorName</c>).</summary>
    public string? AuthorName { get; init; }

    /// <summary>The creator's e-mail; absent for anonymous callers (<c>authorEmail</c>).</summary>
    public string? AuthorEmail { get; init; }

    /// <summary>When it was created (<c>creationDate</c>).</summary>
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>Its long description (<c>description</c>).</summary>
    public string? Description { get; init; }

    /// <summary>Its tags (<c>tags</c>).</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Where the data comes from (<c>provenance</c>).</summary>
    public string? Provenance { get; init; }

    /// <summary>What the dataset is meant for (<c>purpose</c>).</summary>
    public string? Purpose { get; init; }

    /// <summary>What kind of data it holds (<c>type</c>).</summary>
    public IReadOnlyList<DatasetType>? Type { get; init; }

    /// <summary>How its cases were collected (<c>collectionMethod</c>).</summary>
    public IReadOnlyList<CollectionMethod>? CollectionMethod { get; init; }

    /// <summary>Its license (<c>license</c>).</summary>
    public License? License { get; init; }

    /// <summary>Its persistent identifiers (<c>pids</c>).</summary>
    public DatasetPids? Pids { get; init; }

    /// <summary>Who answers questions about it (<c>contactInfo</c>).</summary>
    public string? ContactInfo { get; init; }

    /// <summary>True while only its author sees and uses it (<c>draft</c>).</summary>
    public bool? Draft { get; init; }

    /// <summary>True while its creation runs (only while draft; <c>creating</c>).</summary>
    public bool? Creating { get; init; }

    /// <summary>True when everyone may see it (<c>public</c>).</summary>
    public bool? Public { get; init; }

    /// <summary>True when every registered user may use a public dataset (<c>publicUse</c>).</summary>
    public bool? PublicUse { get; init; }

    /// <summary>True when it may no longer be used (<c>invalidated</c>).</summary>
    public bool? Invalidated { get; init; }

    /// <summary>Why it was invalidated (<c>invalidationReason</c>).</summary>
    public string? InvalidationReason { get; init; }

    /// <summary>True when it was lent by another node (<c>external</c>).</summary>
    public bool? External { get; init; }

    /// <summary>True when its integrity check failed (<c>corrupted</c>).</summary>
    public bool? Corrupted { get; init; }

    /// <summary>When its integrity was last checked (<c>lastIntegrityCheck</c>).</summary>
    public DateTimeOffset? LastIntegrityCheck { get; init; }

    /// <summary>The properties the caller may change now (<c>editablePropertiesByTheUser</c>).</summary>
    public IReadOnlyList<DatasetProperty>? EditablePropertiesByTheUser { get; init; }

    /// <summary>What else the caller may do now (<c>allowedActionsForTheUser</c>).</summary>
    public IReadOnlyList<DatasetAction>? AllowedActionsForTheUser { get; init; }

    /// <summary>How many studies it holds (<c>studiesCount</c>).</summary>
    public int? StudiesCount { get; init; }

    /// <summary>How many subjects its studies belong to (<c>subjectsCount</c>).</summary>
    public int? SubjectsCount { get; init; }

    /// <summary>The youngest subject's age (<c>ageLow</c>).</summary>
    public int? AgeLow { get; init; }

    /// <summary>The oldest subject's age (<c>ageHigh</c>).</summary>
    public int? AgeHigh { get; init; }

    /// <summary>The units of <see cref="AgeLow"/> and <see cref="AgeHigh"/> (<c>ageUnit</c>).</summary>
    public IReadOnlyList<string>? AgeUnit { get; init; }

    /// <summary>Studies without an age (<c>ageNullCount</c>).</summary>
    public int? AgeNullCount { get; init; }

    /// <summary>The sexes present, MIABIS words (<c>sex</c>).</summary>
    public IReadOnlyList<string>? Sex { get; init; }

    /// <summary>Studies per entry of <see cref="Sex"/> (<c>sexCount</c>).</summary>
    public IReadOnlyList<int>? SexCount { get; init; }

    /// <summary>The diagnoses present (<c>diagnosis</c>).</summary>
    public IReadOnlyList<string>? Diagnosis { get; init; }

    /// <summary>Studies per entry of <see cref="Diagnosis"/> (<c>diagnosisCount</c>).</summary>
    public IReadOnlyList<int>? DiagnosisCount { get; init; }

    /// <summary>The body parts present (<c>bodyPart</c>).</summary>
    public IReadOnlyList<string>? BodyPart { get; init; }

    /// <summary>Studies per entry of <see cref="BodyPart"/> (<c>bodyPartCount</c>).</summary>
    public IReadOnlyList<int>? BodyPartCount { get; init; }

    /// <summary>The modalities present (<c>modality</c>).</summary>
    public IReadOnlyList<string>? Modality { get; init; }

    /// <summary>Studies per entry of <see cref="Modality"/> (<c>modalityCount</c>).</summary>
    public IReadOnlyList<int>? ModalityCount { get; init; }

    /// <summary>The equipment manufacturers present (<c>manufacturer</c>).</summary>
    public IReadOnlyList<string>? Manufacturer { get; init; }

    /// <summary>Studies per entry of <see cref="Manufacturer"/> (<c>manufacturerCount</c>).</summary>
    public IReadOnlyList<int>? ManufacturerCount { get; init; }

    /// <summary>The year of the oldest diagnosis (<c>diagnosisYearLow</c>).</summary>
    public int? DiagnosisYearLow { get; init; }

    /// <summary>The year of the latest diagnosis (<c>diagnosisYearHigh</c>).</summary>
    public int? DiagnosisYearHigh { get; init; }

    /// <summary>Studies without a diagnosis year (<c>diagnosisYearNullCount</c>).</summary>
    public int? DiagnosisYearNullCount { get; init; }

    /// <summary>The tags of its series (<c>seriesTags</c>).</summary>
    public IReadOnlyList<string>? SeriesTags { get; init; }

    /// <summary>The size of its files and clinical data (<c>sizeInBytes</c>).</summary>
    public long? SizeInBytes { get; init; }

    /// <summary>How often it was used (<c>timesUsed</c>).</summary>
    public int? TimesUsed { get; init; }
}

/// <summary>A dataset's persistent identifiers (<c>pids</c>).</summary>
public sealed record DatasetPids
{
    /// <summary>The entry of <see cref="Urls"/> to cite, e.g. <c>zenodoDoi</c> or <c>custom</c> (<c>preferred</c>).</summary>
    public string? Preferred { get; init; }

    /// <summary>The identifiers as links (<c>urls</c>).</summary>
    public DatasetPidUrls? Urls { get; init; }
}

/// <summary>A dataset's persistent identifiers as links (<c>pids.urls</c>).</summary>
public sealed record DatasetPidUrls
{
    /// <summary>The Zenodo DOI as a URL, set by the service (<c>zenodoDoi</c>).</summary>
    public string? ZenodoDoi { get; init; }

    /// <summary>A link the creator prefers for citations (<c>custom</c>).</summary>
    public string? Custom { get; init; }
}
