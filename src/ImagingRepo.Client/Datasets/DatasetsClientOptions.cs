using ImagingRepo.Client.Http;

namespace ImagingRepo.Client.Datasets;

/// <summary>Settings of <see cref="DatasetsClient"/> (section <c>ImagingRepo:Datasets</c>).</summary>
public sealed class DatasetsClientOptions : ClientOptionsBase
{
    /// <summary>How often a creation operation asks for its status while it is awaited (default 2 s).</summary>
    public TimeSpan CreationPollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
