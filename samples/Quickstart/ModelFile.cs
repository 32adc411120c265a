namespace Quickstart;

/// <summary>The Quickstart's model, embedded in the sample (generated once by Models/make_model.py), written out for ONNX Runtime.</summary>
internal static class ModelFile
{
    private const string ResourceName = "soft-tissue.onnx";

    /// <summary>Writes the model into <paramref name="folder"/> and returns its path.</summary>
    public static async Task<string> WriteAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, ResourceName);
        await using var resource = typeof(ModelFile).Assembly.GetManifestResourceStream(ResourceName)
                                   ?? throw new InvalidOperationException($"the sample was built without its embedded {ResourceName}");
        await using var file = File.Create(path);
        await resource.CopyToAsync(file);
        return path;
    }
}
