namespace ImagingRepo.Client.Datasets;

/// <summary>A license: its name and where its text is (<c>License</c>).</summary>
public sealed record License
{
    /// <summary>The license's name, e.g. <c>CC BY 4.0</c> (<c>title</c>).</summary>
    public string? Title { get; init; }

    /// <summary>Where the license text is (<c>url</c>).</summary>
    public string? Url { get; init; }
}
