namespace ImagingRepo.Client.Datasets;

/// <summary>A new dataset: its metadata, its studies and its subjects' clinical data (<c>POST /datasets</c>).</summary>
public sealed record DatasetCreationRequest
{
    /// <summary>Its short name, 3 to 128 characters (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Its version label, at most 16 characters (<c>version</c>).</summary>
    public string? Version { get; init; }

    /// <summary>The code of its project (<c>project</c>).</summary>
    public string? Project { get; init; }

    /// <summary>The code of the subproject (collection) its data is stored under (<c>subproject</c>).</summary>
    public string? Subproject { get; init; }

    /// <summary>The dataset this one is a new version of (<c>previousId</c>).</summary>
    public string? PreviousId { get; init; }

    /// <summary>Its long description (<c>description</c>).</summary>
    public string? Description { get; init; }

    /// <summary>Where the data comes from (<c>provenance</c>).</summary>
    public string? Provenance { get; init; }

    /// <summary>What the dataset is meant for (<c>purpose</c>).</summary>
    public string? Purpose { get; init; }

    /// <summary>What kind of data it holds (<c>type</c>).</summary>
    public IReadOnlyList<DatasetType>? Type { get; init; }

    /// <summary>How its cases were collected (<c>collectionMethod</c>).</summary>
    public IReadOnlyList<CollectionMethod>? CollectionMethod { get; init; }

    /// <summary>The studies (<c>studies</c>).</summary>
    public IReadOnlyList<StudyCreation>? Studies { get; init; }

    /// <summary>The subjects of the studies and their clinical data (<c>subjects</c>).</summary>
    public IReadOnlyList<Subject>? Subjects { get; init; }
}

/// <summary>The answer to a creation request (<c>201</c> of <c>POST /datasets</c>).</summary>
public sealed record DatasetCreated
{
    /// <summary>The dataset's page in the dataset explorer (<c>url</c>).</summary>
    public string? Url { get; init; }

    /// <summary>The dataset in this API, e.g. <c>/api/datasets/ID</c> (<c>apiUrl</c>).</summary>
    public string? ApiUrl { get; init; }
}

/// <summary>Where a dataset's creation stands (<c>GET /datasets/{id}/creationStatus</c>).</summary>
public sealed record DatasetCreationStatus
{
    /// <summary>The state (<c>status</c>).</summary>
    public DatasetCreationState? Status { get; init; }

    /// <summary>The creation's last message, for showing progress (<c>lastMessage</c>).</summary>
    public string? LastMessage { get; init; }
}

/// <summary>The outcome of a maintenance operation such as an integrity check (<c>{success, msg}</c>).</summary>
public sealed record OperationResult
{
    /// <summary>True when it succeeded (<c>success</c>).</summary>
    public bool? Success { get; init; }

    /// <summary>What happened (<c>msg</c>).</summary>
    public string? Msg { get; init; }
}

/// <summary>A dataset the caller may publish a new version of (<c>GET /upgradableDatasets</c>).</summary>
public sealed record UpgradableDataset
{
    /// <summary>The dataset id (<c>id</c>).</summary>
    public string? Id { get; init; }

    /// <summary>Its short name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Its version label (<c>version</c>).</summary>
    public string? Version { get; init; }
}
