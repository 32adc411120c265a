using ImagingRepo.TestSupport;

namespace ImagingRepo.Inference.Tests.Models;

/// <summary>The small ONNX models of <c>make_test_models.py</c>, built once per test run with python3-onnx into a temporary folder.</summary>
public sealed class TestModels : IDisposable
{
    private readonly Lazy<string> _folder = new(Build);

    /// <summary>The path of a model built by the script (e.g. <c>classifier.onnx</c>); skips the test when python3-onnx is missing.</summary>
    public string this[string name] => Path.Combine(_folder.Value, name);

    /// <summary>A fresh copy of a model in its own folder, for tests that add a sidecar or damage it.</summary>
    public string CopyToNewFolder(string name)
    {
        var folder = Directory.CreateTempSubdirectory("imagingrepo-model-").FullName;
        var copy = Path.Combine(folder, name);
        File.Copy(this[name], copy);
        return copy;
    }

    public void Dispose()
    {
        if (_folder.IsValueCreated)
        {
            Directory.Delete(_folder.Value, recursive: true);
        }
    }

    private static string Build()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python) || ProcessRunner.Run(python, "-c", "import onnx, numpy").ExitCode != 0)
        {
            return TestEnvironment.Unavailable<string>("python3-onnx (the Debian package python3-onnx, with /usr/bin/python3)");
        }

        var folder = Directory.CreateTempSubdirectory("imagingrepo-models-").FullName;
        var script = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "ImagingRepo.Inference.Tests", "Models", "make_test_models.py");
        var (exitCode, stdout, stderr) = ProcessRunner.Run(python, script, folder);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"make_test_models.py failed ({exitCode}): {stdout}{stderr}");
        }

        return folder;
    }
}

/// <summary>Tests that share the built models.</summary>
[CollectionDefinition(Name)]
public sealed class ModelsCollection : ICollectionFixture<TestModels>
{
    public const string Name = "onnx models";
}
