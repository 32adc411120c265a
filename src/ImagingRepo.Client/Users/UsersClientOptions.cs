using ImagingRepo.Client.Http;

namespace ImagingRepo.Client.Users;

/// <summary>Settings of <see cref="UsersClient"/> (section <c>ImagingRepo:Users</c>).</summary>
public sealed class UsersClientOptions : ClientOptionsBase
{
}
