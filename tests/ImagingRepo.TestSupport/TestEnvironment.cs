using Xunit;

namespace ImagingRepo.TestSupport;

/// <summary>Facts about the test run: CI or developer machine, and where the repository lies.</summary>
public static class TestEnvironment
{
    /// <summary>True under CI (<c>CI=true</c>): a missing server or data set fails the test instead of skipping it.</summary>
    public static bool IsCi { get; } =
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The repository root (the folder holding <c>ImagingRepo.sln</c>).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// The shared data (standard tables, corpus, reference specs): <c>IMAGINGREPO_SHARED</c> when set (test.sh sets it
    /// for a clone made away from the shared folder), else <c>../shared</c> next to the repository.
    /// </summary>
    public static string SharedFolder { get; } = Environment.GetEnvironmentVariable("IMAGINGREPO_SHARED") is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    /// <summary>
    /// The shared DICOM corpus (<c>../shared/dicom/corpus</c> next to the repository, or <c>IMAGINGREPO_DICOM_CORPUS</c>),
    /// or null when it is not on this machine.
    /// </summary>
    public static string? DicomCorpus { get; } = FindShared("IMAGINGREPO_DICOM_CORPUS", "dicom", "corpus");

    /// <summary>The DICOM standard tables (<c>../shared/dicom/standard</c>), or null when absent.</summary>
    public static string? DicomStandard { get; } = FindShared("IMAGINGREPO_DICOM_STANDARD", "dicom", "standard");

    /// <summary>Returns the corpus folder, skipping the test (or failing it under CI) when it is missing.</summary>
    public static string RequireDicomCorpus() =>
        DicomCorpus ?? Unavailable<string>("the shared DICOM corpus (../shared/dicom/corpus or IMAGINGREPO_DICOM_CORPUS)");

    /// <summary>Skips the current test with <paramref name="what"/> as the reason, or fails it under CI.</summary>
    public static T Unavailable<T>(string what)
    {
        var message = $"{what} is not available. Run ./test.sh, or start it with scripts/services/*.sh and export its variables.";
        if (IsCi)
        {
            throw new InvalidOperationException("CI=true: " + message);
        }

        Skip.If(true, message);
        return default!; // unreachable: Skip throws
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ImagingRepo.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find ImagingRepo.sln above " + AppContext.BaseDirectory);
    }

    private static string? FindShared(string variable, params string[] parts)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? configured : null;
        }

        var path = Path.Combine([SharedFolder, .. parts]);
        return Directory.Exists(path) ? path : null;
    }
}
