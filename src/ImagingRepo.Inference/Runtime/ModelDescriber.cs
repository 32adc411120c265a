using System.Globalization;
using System.Security.Cryptography;
using ImagingRepo.Inference.Volumes;
using Microsoft.ML.OnnxRuntime;

namespace ImagingRepo.Inference.Runtime;

/// <summary>Builds a <see cref="ModelDescription"/> from a session's graph and metadata and the optional sidecar.</summary>
internal static class ModelDescriber
{
    public static ModelDescription Describe(string modelPath, InferenceSession session, ModelSidecar? sidecar, string sha256)
    {
        var inputs = session.InputMetadata.Select(p => Tensor(modelPath, p.Key, p.Value)).ToList();
        var outputs = session.OutputMetadata.Select(p => Tensor(modelPath, p.Key, p.Value)).ToList();
        if (inputs.Count == 0 || outputs.Count == 0)
        {
            throw new ModelLoadException(modelPath, "the graph has no inputs or no outputs");
        }

        var metadata = session.ModelMetadata;
        var custom = metadata.CustomMetadataMap;
        string? Custom(string key) => custom.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

        var labels = sidecar?.Labels ?? (Custom("labels") is { } json ? ModelSidecar.ParseLabels(json, modelPath) : null) ?? [];
        var task = sidecar?.Task
            ?? (Custom("task") is { } t && Enum.TryParse<ModelTask>(t, true, out var parsed) ? parsed : (ModelTask?)null)
            ?? (outputs[0].Rank == 2 ? ModelTask.Classification : ModelTask.Segmentation);
        var outputKind = sidecar?.Output?.Kind
            ?? (Custom("output_kind") is { } k && Enum.TryParse<ModelOutputKind>(k, true, out var kind) ? kind : ModelOutputKind.Probabilities);

        return new ModelDescription
        {
            Name = sidecar?.Name ?? Custom("name") ?? NonEmpty(metadata.GraphName) ?? Path.GetFileNameWithoutExtension(modelPath),
            Version = sidecar?.Version ?? Custom("version") ?? metadata.Version.ToString(CultureInfo.InvariantCulture),
            Manufacturer = sidecar?.Manufacturer ?? Custom("manufacturer") ?? NonEmpty(metadata.ProducerName) ?? "unknown",
            Description = sidecar?.Description ?? Custom("description") ?? metadata.Description ?? string.Empty,
            Sha256 = sha256,
            Task = task,
            OutputKind = outputKind,
            Threshold = sidecar?.Output?.Threshold ?? 0.5,
            Inputs = inputs,
            Outputs = outputs,
            Labels = labels,
            Preprocessing = Preprocessing(modelPath, inputs[0], sidecar?.Input),
        };
    }

    public static string Sha256Of(string modelPath)
    {
        try
        {
            using var stream = File.OpenRead(modelPath);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(modelPath, e.Message, e);
        }
    }

    private static ModelPreprocessing Preprocessing(string modelPath, TensorDescription input, SidecarInput? declared)
    {
        var layout = declared?.Layout ?? (input.Rank == 5 ? TensorLayout.Ncdhw : TensorLayout.Nchw);
        var spatialRank = layout == TensorLayout.Ncdhw ? 3 : 2;
        if (input.Rank != spatialRank + 2)
        {
            throw new ModelLoadException(modelPath, $"input '{input.Name}' is {input}, which is not a {layout} tensor of rank {spatialRank + 2}");
        }

        var fixedSize = input.Dimensions.Skip(2).All(d => d > 0) ? input.Dimensions.Skip(2).Select(d => (int)d).ToList() : null;
        if (declared?.Size is { } size && (size.Count != spatialRank || size.Any(s => s <= 0)))
        {
            throw new ModelLoadException(modelPath, $"sidecar input size [{string.Join(",", size)}] does not have {spatialRank} positive dimensions");
        }

        if (fixedSize is not null && declared?.Size is { } wanted && !wanted.SequenceEqual(fixedSize))
        {
            throw new ModelLoadException(modelPath, $"sidecar input size [{string.Join(",", wanted)}] contradicts the model's fixed input {input}");
        }

        if (declared?.Spacing is { } spacing && (spacing.Count != spatialRank || spacing.Any(s => s <= 0)))
        {
            throw new ModelLoadException(modelPath, $"sidecar spacing does not have {spatialRank} positive values");
        }

        if (declared is { Overlap: < 0 or > 0.9 })
        {
            throw new ModelLoadException(modelPath, $"sidecar overlap {declared.Overlap} is outside 0 to 0.9");
        }

        var defaults = new ModelPreprocessing();
        return new ModelPreprocessing
        {
            Layout = layout,
            Size = fixedSize ?? declared?.Size,
            Spacing = declared?.Spacing,
            Normalization = declared?.Normalization ?? defaults.Normalization,
            Overlap = declared?.Overlap ?? defaults.Overlap,
        };
    }

    private static TensorDescription Tensor(string modelPath, string name, NodeMetadata node)
    {
        if (!node.IsTensor)
        {
            throw new ModelLoadException(modelPath, $"'{name}' is a {node.OnnxValueType}, not a tensor; only tensor inputs and outputs are supported");
        }

        return new TensorDescription(name, node.ElementDataType, [.. node.Dimensions.Select(d => d > 0 ? (long)d : -1L)]);
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
