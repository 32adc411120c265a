using System.Runtime.CompilerServices;
using ImagingRepo.Jobs.Specs;

namespace ImagingRepo.Jobs.Tests.Support;

/// <summary>Shared inputs: a workspace identity, options and a deterministic renderer.</summary>
internal static class TestData
{
    public const string Registry = "harbor.chaimeleon-eu.i3m.upv.es/";

    public static WorkspaceIdentity Workspace { get; } = new("alice", "user-alice", 1000, 1000, 2042);

    public static JobsOptions Options() => new();

    /// <summary>Deterministic "random" text so that generated names and passwords are stable in golden files.</summary>
    public static string FixedRandom(string alphabet, int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = alphabet[(i * 7 + 3) % alphabet.Length];
        }

        return new string(chars);
    }

    public static ManifestRenderer Renderer(JobsOptions? options = null) => new(options ?? Options(), FixedRandom);

    public static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(Path.GetDirectoryName(path)!)!;
}

/// <summary>
/// Golden-file comparison. Set IMAGINGREPO_UPDATE_GOLDEN=1 to rewrite the files under tests/ImagingRepo.Jobs.Tests/Golden
/// from the current output (then review the diff).
/// </summary>
internal static class Golden
{
    public static void Verify(string name, string actual)
    {
        string path = Path.Combine(TestData.SourceDirectory(), "Golden", name);
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("IMAGINGREPO_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"golden file {name} is missing; run the tests with IMAGINGREPO_UPDATE_GOLDEN=1 to create it");
        string expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, actual);
    }
}
