using System.Security.Cryptography;
using ImagingRepo.Tracing.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImagingRepo.Service.Hosting;

/// <summary>
/// Wires ImagingRepo.Tracing for the service: the outbox beside the metadata (a SQLite file in the data directory, or
/// the same PostgreSQL), the file ledger in the data directory unless configured, and a pseudonymization key from
/// configuration or, embedded, from a key file made once in the data directory (readable by its owner only).
/// </summary>
internal static class TracingSetup
{
    public static void AddServiceTracing(this IServiceCollection services, IConfiguration configuration, string dataDirectory, string? postgreSqlConnectionString)
    {
        var section = configuration.GetSection(TracingOptions.SectionName);
        services.AddImagingRepoTracing(section, options =>
        {
            if (string.IsNullOrEmpty(section["SqlitePath"])) options.SqlitePath = Path.Combine(dataDirectory, "traces.db");
            if (string.IsNullOrEmpty(section["FileLedgerPath"])) options.FileLedgerPath = Path.Combine(dataDirectory, "traces.ledger.jsonl");
            if (string.IsNullOrEmpty(options.PseudonymizationKey)) options.PseudonymizationKey = KeyFile(Path.Combine(dataDirectory, "traces.key"));
        });
        if (postgreSqlConnectionString is not null) services.AddImagingRepoTracingPostgreSql(postgreSqlConnectionString);
    }

    /// <summary>The base64 key in <paramref name="path"/>, made (32 random bytes, temp file then rename) when missing.</summary>
    private static string KeyFile(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made it first: use theirs.
            File.Delete(temp);
        }

        return File.ReadAllText(path).Trim();
    }
}
