namespace ImagingRepo.Client.Datasets;

/// <summary>A dataset as a list shows it (<c>DatasetListItem</c>).</summary>
public sealed record DatasetListItem
{
    /// <summary>The dataset id (<c>id</c>).</summary>
    public string? Id { get; init; }

    /// <summary>Its short name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Its version label (<c>version</c>).</summary>
    public string? Version { get; init; }

    /// <summary>The name of the user who created it (<c>authorName</c>).</summary>
    public string? AuthorName { get; init; }

    /// <summary>When it was created (<c>creationDate</c>).</summary>
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>The code of its project (<c>project</c>).</summary>
    public string? Project { get; init; }

    /// <summary>True while only its author sees and uses it (<c>draft</c>).</summary>
    public bool? Draft { get; init; }

    /// <summary>True when everyone may see it (<c>public</c>).</summary>
    public bool? Public { get; init; }

    /// <summary>True when every registered user may use a public dataset (<c>publicUse</c>).</summary>
    public bool? PublicUse { get; init; }

    /// <summary>True when it may no longer be used (<c>invalidated</c>).</summary>
    public bool? Invalidated { get; init; }

    /// <summary>True when its integrity check failed (<c>corrupted</c>).</summary>
    public bool? Corrupted { get; init; }

    /// <summary>Its tags (<c>tags</c>).</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>How many studies it holds (<c>studiesCount</c>).</summary>
    public int? StudiesCount { get; init; }

    /// <summary>How many subjects its studies belong to (<c>subjectsCount</c>).</summary>
    public int? SubjectsCount { get; init; }

    /// <summary>How often it was used (<c>timesUsed</c>).</summary>
    public int? TimesUsed { get; init; }
}
