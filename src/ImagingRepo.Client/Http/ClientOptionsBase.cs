using System.ComponentModel.DataAnnotations;

namespace ImagingRepo.Client.Http;

/// <summary>What every client's options share.</summary>
public abstract class ClientOptionsBase
{
    /// <summary>Records asked for per page when a list is walked (default 100; the service's own default is 30).</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 100;
}
