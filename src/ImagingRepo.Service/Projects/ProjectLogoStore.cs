using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Projects;

/// <summary>
/// Project logos uploaded with <c>PUT /projects/{code}/logo</c>: PNG or JPEG (checked by their signature), at most
/// 1 MiB, kept as <c>project-logos/&lt;code&gt;.png|jpg</c> in the data directory (temp file, then rename) and served
/// at <c>/project-logos/…</c>. Unlike CHAIMELEON, a logo URL given in PATCH or PUT is stored as a link and never fetched
/// by the service.
/// </summary>
internal sealed class ProjectLogoStore(Database database, ProjectRepository projects, IOptions<ServiceOptions> options)
{
    public const long MaxBytes = 1024 * 1024;

    public string Folder => Path.Combine(options.Value.ResolvedDataDirectory, "project-logos");

    public async Task SaveAsync(PlatformUser user, string code, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        if (!request.HasFormContentType) throw ServiceProblemException.Invalid("The logo must be sent as multipart/form-data with the part 'logo'.");
        var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var file = form.Files.GetFile("logo");
        byte[]? image = null;
        string? extension = null;
        if (file is { Length: > 0 })
        {
            if (file.Length > MaxBytes) throw ServiceProblemException.Invalid($"'logo' is larger than {MaxBytes} bytes.");
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            image = buffer.ToArray();
            extension = image.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) ? "png"
                : image.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "jpg"
                : throw ServiceProblemException.Invalid("'logo' must be a PNG or JPEG image.");
        }
        else if (form["logo"].ToString().Length > 0)
        {
            throw ServiceProblemException.Invalid("'logo' must be a file, or empty to remove the logo.");
        }

        await database.InTransactionAsync(async session =>
        {
            var project = await projects.GetAsync(session, code, cancellationToken).ConfigureAwait(false)
                ?? throw ServiceProblemException.NotFound($"No project '{code}'.");
            if (!user.CanModifyProject(code)) throw ServiceProblemException.Forbidden($"{user} may not change the project '{code}'.");
            var logoUrl = "";
            if (image is not null)
            {
                Directory.CreateDirectory(Folder);
                var name = $"{code}.{extension}";
                var temp = Path.Combine(Folder, $".{name}.{Guid.NewGuid():N}.tmp");
                await File.WriteAllBytesAsync(temp, image, cancellationToken).ConfigureAwait(false);
                File.Move(temp, Path.Combine(Folder, name), overwrite: true);
                logoUrl = $"{request.PathBase}/project-logos/{name}";
            }

            await projects.UpsertAsync(session, project with { LogoUrl = logoUrl }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored logo file for a request path's file name, or null.</summary>
    public string? Find(string fileName)
    {
        if (fileName.IndexOfAny(['/', '\\']) >= 0 || fileName.StartsWith('.')) return null;
        var path = Path.Combine(Folder, fileName);
        return File.Exists(path) ? path : null;
    }
}
