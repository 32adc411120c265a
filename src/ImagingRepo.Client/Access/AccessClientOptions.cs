using ImagingRepo.Client.Http;

namespace ImagingRepo.Client.Access;

/// <summary>Settings of <see cref="AccessClient"/> (section <c>ImagingRepo:Access</c>).</summary>
public sealed class AccessClientOptions : ClientOptionsBase
{
}
