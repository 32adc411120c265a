namespace ImagingRepo.Service.Licenses;

/// <summary>A licence a dataset may carry (<c>License</c>).</summary>
/// <param name="Title">Short name, e.g. "CC BY 4.0".</param>
/// <param name="Url">The licence text.</param>
internal sealed record LicenseRecord(string Title, string Url);
